using System.ComponentModel;
using System.Globalization;

namespace Sluice.Secrets;

/// <summary>Lets configuration bind a <see cref="Secret"/> from text; converting back gives <c>***</c>, never the value.</summary>
internal sealed class SecretTypeConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text ? new Secret(text) : base.ConvertFrom(context, culture, value);

    public override object? ConvertTo(ITypeDescriptorContext? context, CultureInfo? culture, object? value, Type destinationType) =>
        destinationType == typeof(string) && value is Secret ? SecretRedactor.Mask : base.ConvertTo(context, culture, value, destinationType);
}
