namespace OpenTicketAI.Api.Versions;

public static class ModelVersionServiceCollectionExtensions
{
    /// <summary>Listing, promotion, rollback and retention of model versions (<c>models/&lt;name&gt;/&lt;version&gt;/</c>).</summary>
    public static IServiceCollection AddModelVersions(this IServiceCollection services)
    {
        services.AddSingleton<ModelVersions>();
        return services;
    }
}
