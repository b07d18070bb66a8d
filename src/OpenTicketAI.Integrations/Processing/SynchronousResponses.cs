using System.Text.Json;
using OpenTicketAI.Integrations.Connectors;
using OpenTicketAI.Integrations.Storage;

namespace OpenTicketAI.Integrations.Processing;

/// <summary>
/// The webhook answer of a help desk that applies it itself (<see cref="ISynchronousHelpDesk"/>, Znuny): rendered once per
/// delivery and stored, so a repeated delivery (Znuny retrying after a timeout) gets exactly the same keys again.
/// </summary>
public sealed class SynchronousResponses(HelpDeskRegistry registry, StoredReplies store)
{
    /// <summary>The response body for <paramref name="result"/>, or null when the help desk is not synchronous.</summary>
    public async Task<JsonElement?> ResolveAsync(string helpDesk, string instanceName, ProcessingResult result, CancellationToken cancellationToken)
    {
        if (!registry.TryFind(helpDesk, instanceName, out var connector, out var instance) || connector is not ISynchronousHelpDesk synchronous)
        {
            return null;
        }

        string body;
        switch (result.Status)
        {
            case ProcessingStatus.Processed when result.Event is { } ticket:
                body = Json.Serialize(synchronous.RenderResponse(instance, result));
                await store.SaveAsync(connector.HelpDesk, instance.Name, ticket.DeliveryId, body, cancellationToken);
                body = await store.GetAsync(connector.HelpDesk, instance.Name, ticket.DeliveryId, cancellationToken) ?? body;
                break;
            case ProcessingStatus.Duplicate when result.Event is { EventType: Znuny.GenericInterfaceRequest.UnnamedEvent }:
                body = "{}";
                break;
            case ProcessingStatus.Duplicate when result.Event is { } ticket:
                body = await store.GetAsync(connector.HelpDesk, instance.Name, ticket.DeliveryId, cancellationToken) ?? "{}";
                break;
            case ProcessingStatus.Processed or ProcessingStatus.Duplicate or ProcessingStatus.Ignored:
                body = "{}";
                break;
            default:
                return null;
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
