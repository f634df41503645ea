using System.ComponentModel.DataAnnotations;
using Sluice.Configuration;

namespace Sluice.Core.Tests.Configuration;

/// <summary>ParameterBinder's shortcut past Validator for types without validation attributes finds exactly what Validator finds.</summary>
public sealed class ValidationShortcutTests
{
    public static TheoryData<object> Values() => new()
    {
        new Plain { Name = "x" },
        new SelfChecked { Low = 5, High = 1 },
        new SelfChecked { Low = 1, High = 5 },
        new Annotated { Window = 0 },
        new Annotated { Window = 30 },
        new AnnotatedAndSelfChecked { Name = null, Flag = true },
        new AnnotatedAndSelfChecked { Name = "n", Flag = true },
        new WithBuddy { Code = "" },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void TryValidate_FindsWhatValidatorFinds(object value)
    {
        var expected = new List<ValidationResult>();
        bool expectedValid = Validator.TryValidateObject(value, new ValidationContext(value), expected, validateAllProperties: true);

        var actual = new List<ValidationResult>();
        bool valid = ParameterBinder.TryValidate(value, actual);

        Assert.Equal(expectedValid, valid);
        Assert.Equal(
            expected.Select(r => (r.ErrorMessage, string.Join(",", r.MemberNames))),
            actual.Select(r => (r.ErrorMessage, string.Join(",", r.MemberNames))));
    }

    [Fact]
    public void TryValidate_OfATypeThatChecksItself_ReportsItsOwnProblem()
    {
        var results = new List<ValidationResult>();

        Assert.False(ParameterBinder.TryValidate(new SelfChecked { Low = 5, High = 1 }, results));
        Assert.Equal("Low (5) must not exceed High (1).", Assert.Single(results).ErrorMessage);
    }

    public sealed class Plain
    {
        public string? Name { get; set; }
    }

    public sealed class SelfChecked : IValidatableObject
    {
        public int Low { get; set; }

        public int High { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Low > High)
            {
                yield return new ValidationResult($"Low ({Low}) must not exceed High ({High}).", [nameof(Low), nameof(High)]);
            }
        }
    }

    public sealed class Annotated
    {
        [Range(1, 250)]
        public int Window { get; set; }
    }

    public sealed class AnnotatedAndSelfChecked : IValidatableObject
    {
        [Required]
        public string? Name { get; set; }

        public bool Flag { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            yield return new ValidationResult("Flag is set.", [nameof(Flag)]);
        }
    }

    [MetadataType(typeof(WithBuddyMetadata))]
    public sealed class WithBuddy
    {
        public string? Code { get; set; }
    }

    public sealed class WithBuddyMetadata
    {
        [Required]
        public string? Code { get; set; }
    }
}
