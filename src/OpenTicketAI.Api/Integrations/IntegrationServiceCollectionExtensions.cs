using OpenTicketAI.Api.Knowledge;
using OpenTicketAI.Integrations;
using OpenTicketAI.Integrations.Answers;
using OpenTicketAI.Integrations.Processing;

namespace OpenTicketAI.Api.Integrations;

public static class IntegrationServiceCollectionExtensions
{
    /// <summary>
    /// Help-desk connectors, rules, outbox and delivery worker (section <c>Integrations</c>), classifying with the served models
    /// and drafting replies and summaries from the knowledge collections (<see cref="KnowledgeServiceCollectionExtensions.AddKnowledge"/>).
    /// </summary>
    public static WebApplicationBuilder AddHelpDeskIntegrations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenTicketAiIntegrations(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddSingleton<ITicketClassifierProvider, ModelStoreClassifierProvider>();
        builder.Services.AddSingleton<ITicketAnswers, KnowledgeTicketAnswers>();
        return builder;
    }
}
