using Sluice.Execution;

namespace Sluice.Definitions;

/// <summary>A step written as a class, for when it needs dependency injection; takes no inputs.</summary>
/// <typeparam name="TOut">The type of the step's output.</typeparam>
public interface IStep<TOut>
{
    /// <summary>Runs the step.</summary>
    Task<TOut> ExecuteAsync(StepContext context);
}

/// <summary>A step written as a class, taking one input.</summary>
public interface IStep<in T1, TOut>
{
    /// <summary>Runs the step.</summary>
    Task<TOut> ExecuteAsync(StepContext context, T1 input1);
}

/// <summary>A step written as a class, taking two inputs.</summary>
public interface IStep<in T1, in T2, TOut>
{
    /// <summary>Runs the step.</summary>
    Task<TOut> ExecuteAsync(StepContext context, T1 input1, T2 input2);
}

/// <summary>A step written as a class, taking three inputs.</summary>
public interface IStep<in T1, in T2, in T3, TOut>
{
    /// <summary>Runs the step.</summary>
    Task<TOut> ExecuteAsync(StepContext context, T1 input1, T2 input2, T3 input3);
}
