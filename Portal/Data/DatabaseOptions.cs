using System.ComponentModel.DataAnnotations;

namespace Portal.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Settings of the <c>Database</c> configuration section.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Database";

    /// <summary>Sqlite (default: a file in <see cref="DataDirectory"/>) or Postgres (several replicas).</summary>
    [EnumDataType(typeof(DatabaseProvider), ErrorMessage = "Database:Provider must be Sqlite or Postgres.")]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for Postgres; optional for Sqlite (defaults to <c>portal.db</c> in the data folder).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Folder for the SQLite file, relative to the content root unless absolute. Created on first start.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Database:DataDirectory must not be empty.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations at start (default). Turn off when migrations are applied by a deployment step.</summary>
    public bool MigrateOnStart { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult(
                "Database:ConnectionString is required when Database:Provider is Postgres, e.g. 'Host=db;Database=portal;Username=portal;Password=...'.",
                [nameof(ConnectionString)]);
        }
    }
}
