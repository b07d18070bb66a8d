using System.Diagnostics.CodeAnalysis;

namespace OpenTicketAI.Integrations.Connectors;

/// <summary>Every registered connector, by help-desk name, and the outbox target names of their instances.</summary>
public sealed class HelpDeskRegistry(IEnumerable<IHelpDeskConnector> connectors)
{
    private readonly Dictionary<string, IHelpDeskConnector> _connectors =
        connectors.ToDictionary(c => c.HelpDesk, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<IHelpDeskConnector> Connectors => _connectors.Values;

    public bool TryGetConnector(string helpDesk, [NotNullWhen(true)] out IHelpDeskConnector? connector) =>
        _connectors.TryGetValue(helpDesk, out connector);

    /// <summary>The connector and configured instance (enabled or not) behind a webhook URL.</summary>
    public bool TryFind(string helpDesk, string instance, [NotNullWhen(true)] out IHelpDeskConnector? connector, [NotNullWhen(true)] out HelpDeskInstanceOptions? options)
    {
        options = null;
        if (!TryGetConnector(helpDesk, out connector))
        {
            return false;
        }

        options = connector.Instances.FirstOrDefault(i => string.Equals(i.Name, instance, StringComparison.OrdinalIgnoreCase));
        return options is not null;
    }

    public bool AnyEnabled => _connectors.Values.Any(c => c.Instances.Any(i => i.Enabled));
}
