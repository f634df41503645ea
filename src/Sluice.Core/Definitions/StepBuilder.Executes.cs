// Generated once by a script and edited by hand since: the overloads differ only in arity; see StepBuilder.cs for the logic.
// Each passes the user's delegate as data to a static lambda, which the compiler caches once per type arguments: a
// lambda capturing the delegate would make a closure and a delegate for every step declared.
using Sluice.Execution;

namespace Sluice.Definitions;

public sealed partial class StepBuilder
{

    /// <summary>Sets the step's work: a function of no inputs that returns the output.</summary>
    public Artifact<TOut> Executes<TOut>(Func<StepContext, TOut> body) =>
        Define<TOut>([], body, static (work, ctx, v) => Task.FromResult<object?>(((Func<StepContext, TOut>)work)(ctx)));

    /// <summary>Sets the step's work: an asynchronous function of no inputs that returns the output.</summary>
    public Artifact<TOut> Executes<TOut>(Func<StepContext, Task<TOut>> body) =>
        Define<TOut>([], body, static async (work, ctx, v) => await ((Func<StepContext, Task<TOut>>)work)(ctx).ConfigureAwait(false));

    /// <summary>Sets the step's work: an asynchronous action of no inputs with effects only.</summary>
    public Artifact<Unit> Executes(Func<StepContext, Task> body) =>
        Define<Unit>([], body, static async (work, ctx, v) =>
        {
            await ((Func<StepContext, Task>)work)(ctx).ConfigureAwait(false);
            return Unit.Value;
        });

    /// <summary>Sets the step's work: an action of no inputs with effects only.</summary>
    public Artifact<Unit> Executes(Action<StepContext> body) =>
        Define<Unit>([], body, static (work, ctx, v) =>
        {
            ((Action<StepContext>)work)(ctx);
            return Task.FromResult<object?>(Unit.Value);
        });

    /// <summary>Sets the step's work to a class step created through dependency injection per attempt.</summary>
    public Artifact<TOut> Uses<TOut>(Func<IServiceProvider, IStep<TOut>> factory) =>
        Define<TOut>([], factory, static async (work, ctx, v) => await ((Func<IServiceProvider, IStep<TOut>>)work)(ctx.Services).ExecuteAsync(ctx).ConfigureAwait(false));

    /// <summary>Sets the step's work: a function of 1 input that returns the output.</summary>
    public Artifact<TOut> Executes<T1, TOut>(Artifact<T1> input1, Func<StepContext, T1, TOut> body) =>
        Define<TOut>([input1], body, static (work, ctx, v) => Task.FromResult<object?>(((Func<StepContext, T1, TOut>)work)(ctx, (T1)v[0]!)));

    /// <summary>Sets the step's work: an asynchronous function of 1 input that returns the output.</summary>
    public Artifact<TOut> Executes<T1, TOut>(Artifact<T1> input1, Func<StepContext, T1, Task<TOut>> body) =>
        Define<TOut>([input1], body, static async (work, ctx, v) => await ((Func<StepContext, T1, Task<TOut>>)work)(ctx, (T1)v[0]!).ConfigureAwait(false));

    /// <summary>Sets the step's work: an asynchronous action of 1 input with effects only.</summary>
    public Artifact<Unit> Executes<T1>(Artifact<T1> input1, Func<StepContext, T1, Task> body) =>
        Define<Unit>([input1], body, static async (work, ctx, v) =>
        {
            await ((Func<StepContext, T1, Task>)work)(ctx, (T1)v[0]!).ConfigureAwait(false);
            return Unit.Value;
        });

    /// <summary>Sets the step's work: an action of 1 input with effects only.</summary>
    public Artifact<Unit> Executes<T1>(Artifact<T1> input1, Action<StepContext, T1> body) =>
        Define<Unit>([input1], body, static (work, ctx, v) =>
        {
            ((Action<StepContext, T1>)work)(ctx, (T1)v[0]!);
            return Task.FromResult<object?>(Unit.Value);
        });

    /// <summary>Sets the step's work to a class step created through dependency injection per attempt.</summary>
    public Artifact<TOut> Uses<T1, TOut>(Artifact<T1> input1, Func<IServiceProvider, IStep<T1, TOut>> factory) =>
        Define<TOut>([input1], factory, static async (work, ctx, v) => await ((Func<IServiceProvider, IStep<T1, TOut>>)work)(ctx.Services).ExecuteAsync(ctx, (T1)v[0]!).ConfigureAwait(false));

    /// <summary>Sets the step's work: a function of 2 inputs that returns the output.</summary>
    public Artifact<TOut> Executes<T1, T2, TOut>(Artifact<T1> input1, Artifact<T2> input2, Func<StepContext, T1, T2, TOut> body) =>
        Define<TOut>([input1, input2], body, static (work, ctx, v) => Task.FromResult<object?>(((Func<StepContext, T1, T2, TOut>)work)(ctx, (T1)v[0]!, (T2)v[1]!)));

    /// <summary>Sets the step's work: an asynchronous function of 2 inputs that returns the output.</summary>
    public Artifact<TOut> Executes<T1, T2, TOut>(Artifact<T1> input1, Artifact<T2> input2, Func<StepContext, T1, T2, Task<TOut>> body) =>
        Define<TOut>([input1, input2], body, static async (work, ctx, v) => await ((Func<StepContext, T1, T2, Task<TOut>>)work)(ctx, (T1)v[0]!, (T2)v[1]!).ConfigureAwait(false));

    /// <summary>Sets the step's work: an asynchronous action of 2 inputs with effects only.</summary>
    public Artifact<Unit> Executes<T1, T2>(Artifact<T1> input1, Artifact<T2> input2, Func<StepContext, T1, T2, Task> body) =>
        Define<Unit>([input1, input2], body, static async (work, ctx, v) =>
        {
            await ((Func<StepContext, T1, T2, Task>)work)(ctx, (T1)v[0]!, (T2)v[1]!).ConfigureAwait(false);
            return Unit.Value;
        });

    /// <summary>Sets the step's work: an action of 2 inputs with effects only.</summary>
    public Artifact<Unit> Executes<T1, T2>(Artifact<T1> input1, Artifact<T2> input2, Action<StepContext, T1, T2> body) =>
        Define<Unit>([input1, input2], body, static (work, ctx, v) =>
        {
            ((Action<StepContext, T1, T2>)work)(ctx, (T1)v[0]!, (T2)v[1]!);
            return Task.FromResult<object?>(Unit.Value);
        });

    /// <summary>Sets the step's work to a class step created through dependency injection per attempt.</summary>
    public Artifact<TOut> Uses<T1, T2, TOut>(Artifact<T1> input1, Artifact<T2> input2, Func<IServiceProvider, IStep<T1, T2, TOut>> factory) =>
        Define<TOut>([input1, input2], factory, static async (work, ctx, v) => await ((Func<IServiceProvider, IStep<T1, T2, TOut>>)work)(ctx.Services).ExecuteAsync(ctx, (T1)v[0]!, (T2)v[1]!).ConfigureAwait(false));

    /// <summary>Sets the step's work: a function of 3 inputs that returns the output.</summary>
    public Artifact<TOut> Executes<T1, T2, T3, TOut>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Func<StepContext, T1, T2, T3, TOut> body) =>
        Define<TOut>([input1, input2, input3], body, static (work, ctx, v) => Task.FromResult<object?>(((Func<StepContext, T1, T2, T3, TOut>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!)));

    /// <summary>Sets the step's work: an asynchronous function of 3 inputs that returns the output.</summary>
    public Artifact<TOut> Executes<T1, T2, T3, TOut>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Func<StepContext, T1, T2, T3, Task<TOut>> body) =>
        Define<TOut>([input1, input2, input3], body, static async (work, ctx, v) => await ((Func<StepContext, T1, T2, T3, Task<TOut>>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!).ConfigureAwait(false));

    /// <summary>Sets the step's work: an asynchronous action of 3 inputs with effects only.</summary>
    public Artifact<Unit> Executes<T1, T2, T3>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Func<StepContext, T1, T2, T3, Task> body) =>
        Define<Unit>([input1, input2, input3], body, static async (work, ctx, v) =>
        {
            await ((Func<StepContext, T1, T2, T3, Task>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!).ConfigureAwait(false);
            return Unit.Value;
        });

    /// <summary>Sets the step's work: an action of 3 inputs with effects only.</summary>
    public Artifact<Unit> Executes<T1, T2, T3>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Action<StepContext, T1, T2, T3> body) =>
        Define<Unit>([input1, input2, input3], body, static (work, ctx, v) =>
        {
            ((Action<StepContext, T1, T2, T3>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!);
            return Task.FromResult<object?>(Unit.Value);
        });

    /// <summary>Sets the step's work to a class step created through dependency injection per attempt.</summary>
    public Artifact<TOut> Uses<T1, T2, T3, TOut>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Func<IServiceProvider, IStep<T1, T2, T3, TOut>> factory) =>
        Define<TOut>([input1, input2, input3], factory, static async (work, ctx, v) => await ((Func<IServiceProvider, IStep<T1, T2, T3, TOut>>)work)(ctx.Services).ExecuteAsync(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!).ConfigureAwait(false));

    /// <summary>Sets the step's work: a function of 4 inputs that returns the output.</summary>
    public Artifact<TOut> Executes<T1, T2, T3, T4, TOut>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Artifact<T4> input4, Func<StepContext, T1, T2, T3, T4, TOut> body) =>
        Define<TOut>([input1, input2, input3, input4], body, static (work, ctx, v) => Task.FromResult<object?>(((Func<StepContext, T1, T2, T3, T4, TOut>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!, (T4)v[3]!)));

    /// <summary>Sets the step's work: an asynchronous function of 4 inputs that returns the output.</summary>
    public Artifact<TOut> Executes<T1, T2, T3, T4, TOut>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Artifact<T4> input4, Func<StepContext, T1, T2, T3, T4, Task<TOut>> body) =>
        Define<TOut>([input1, input2, input3, input4], body, static async (work, ctx, v) => await ((Func<StepContext, T1, T2, T3, T4, Task<TOut>>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!, (T4)v[3]!).ConfigureAwait(false));

    /// <summary>Sets the step's work: an asynchronous action of 4 inputs with effects only.</summary>
    public Artifact<Unit> Executes<T1, T2, T3, T4>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Artifact<T4> input4, Func<StepContext, T1, T2, T3, T4, Task> body) =>
        Define<Unit>([input1, input2, input3, input4], body, static async (work, ctx, v) =>
        {
            await ((Func<StepContext, T1, T2, T3, T4, Task>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!, (T4)v[3]!).ConfigureAwait(false);
            return Unit.Value;
        });

    /// <summary>Sets the step's work: an action of 4 inputs with effects only.</summary>
    public Artifact<Unit> Executes<T1, T2, T3, T4>(Artifact<T1> input1, Artifact<T2> input2, Artifact<T3> input3, Artifact<T4> input4, Action<StepContext, T1, T2, T3, T4> body) =>
        Define<Unit>([input1, input2, input3, input4], body, static (work, ctx, v) =>
        {
            ((Action<StepContext, T1, T2, T3, T4>)work)(ctx, (T1)v[0]!, (T2)v[1]!, (T3)v[2]!, (T4)v[3]!);
            return Task.FromResult<object?>(Unit.Value);
        });
}
