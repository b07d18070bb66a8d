using System.ComponentModel.DataAnnotations;
using OpenTicketAI.Integrations.Outbox;
using OpenTicketAI.Integrations.Rules;
using OpenTicketAI.Storage;

namespace OpenTicketAI.Integrations.Tests.Storage;

public sealed class StorageOptionsTests
{
    [Fact]
    public void PostgreSql_without_a_connection_string_is_refused_and_named()
    {
        var result = new IntegrationsOptionsValidator().Validate(null, new IntegrationsOptions { Provider = DatabaseProvider.PostgreSql });

        Assert.True(result.Failed);
        Assert.Contains("Integrations:ConnectionString is required", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_is_the_default_and_needs_no_connection_string()
    {
        var options = new IntegrationsOptions();

        Assert.Equal(DatabaseProvider.Sqlite, options.Provider);
        Assert.True(new IntegrationsOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_lease_that_does_not_cover_two_request_timeouts_is_refused()
    {
        var options = new OutboxOptions { RequestTimeout = TimeSpan.FromSeconds(30), Lease = TimeSpan.FromSeconds(45) };
        var errors = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(errors, e => e.ErrorMessage!.Contains("Integrations:Outbox:Lease", StringComparison.Ordinal));
    }
}
