namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>Every API test shares the models trained once and the server over <see cref="ModelFixture.SharedModels"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}

/// <summary>The trained models and one started server over the shared models, for tests that only read.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public ModelFixture Models { get; } = new();

    public ApiFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Factory = new ApiFactory(Models.SharedModels);
        Client = Factory.CreateClient();
        await Factory.WaitUntilReadyAsync();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        Models.Dispose();
    }
}
