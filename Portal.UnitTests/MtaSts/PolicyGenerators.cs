using CsCheck;
using Portal.Core.MtaSts;
using Portal.Core.Requests;
using Portal.Infrastructure.Requests;

namespace Portal.Tests.MtaSts;

/// <summary>Random valid MTA-STS values for property tests.</summary>
internal static class PolicyGenerators
{
    private const string LabelStart = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private const string LabelInner = LabelStart + "-";

    public static readonly Gen<string> Label =
        Gen.Select(Gen.Char[LabelStart], Gen.String[Gen.Char[LabelInner], 0, 10], Gen.Char[LabelStart], Gen.Bool)
            .Select((first, middle, last, single) => single ? first.ToString() : first + middle + last);

    /// <summary>Host names whose last label has a letter, so none looks like an IP address.</summary>
    public static readonly Gen<string> HostName =
        Gen.Select(Label.Array[0, 3], Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz"], 2, 6])
            .Select((labels, tld) => string.Join(".", labels.Append(tld)));

    public static readonly Gen<string> MxPattern =
        Gen.Select(HostName, Gen.Bool).Select((host, wildcard) => wildcard ? "*." + host : host);

    public static readonly Gen<MtaStsPolicy> Policy =
        Gen.Select(Gen.Enum<MtaStsMode>(), Gen.Long[0, MtaStsPolicy.MaxMaxAge], MxPattern.Array[0, 6])
            .Where((mode, _, mx) => mode == MtaStsMode.None || mx.Length > 0)
            .Select((mode, maxAge, mx) => new MtaStsPolicy(mode, maxAge, mx));
}
