using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmCost.Infra.Naming;

/// <summary>
/// What one AWS API accepts for one physical name or description: its pattern (whole value), its length limits,
/// and where the rule is documented. The provider's typings check none of this, so a value the API refuses passes
/// <c>pulumi preview</c> and fails <c>pulumi up</c>; every name the program prints goes through a rule.
/// </summary>
internal sealed record AwsNameRule(string What, string Pattern, int MinLength, int MaxLength, string Source)
{
    private readonly Regex _regex = new($"^(?:{Pattern})$", RegexOptions.CultureInvariant);

    /// <summary>Why AWS would refuse <paramref name="value"/>, or null when it accepts it.</summary>
    public string? Problem(string value)
    {
        if (value.Length < MinLength || value.Length > MaxLength)
        {
            return $"{What} \"{value}\" has {value.Length} characters; AWS accepts {MinLength} to {MaxLength} ({Source})";
        }

        return _regex.IsMatch(value) ? null : $"{What} \"{value}\" does not match AWS's pattern {Pattern} ({Source})";
    }

    public bool Accepts(string value) => Problem(value) is null;

    /// <summary>
    /// A name built from parts: joined with <paramref name="separator"/>, and when too long, cut and ended with a
    /// short hash of the whole so that two long names never collide. Throws when the parts cannot make an accepted
    /// name (a caller's bug: settings validate their parts first).
    /// </summary>
    public string Join(string separator, params string[] parts)
    {
        var name = string.Join(separator, parts.Where(p => p.Length > 0));
        if (name.Length > MaxLength)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
            name = name[..(MaxLength - hash.Length - separator.Length)].TrimEnd(separator.ToCharArray()) + separator + hash;
        }

        return Problem(name) is { } problem ? throw new InvalidOperationException(problem) : name;
    }
}
