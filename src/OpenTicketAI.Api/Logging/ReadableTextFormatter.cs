using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace OpenTicketAI.Api.Logging;

/// <summary>One readable line per event, followed by the request-log properties of a prediction, if the event has any.</summary>
public sealed class ReadableTextFormatter : ITextFormatter
{
    private readonly MessageTemplateTextFormatter _line = new("[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}", CultureInfo.InvariantCulture);

    public void Format(LogEvent logEvent, TextWriter output)
    {
        _line.Format(logEvent, output);
        var separator = " (";
        foreach (var name in RequestLogProperties.All)
        {
            if (logEvent.Properties.TryGetValue(name, out var value))
            {
                output.Write(separator);
                output.Write(name);
                output.Write('=');
                value.Render(output, null, CultureInfo.InvariantCulture);
                separator = ", ";
            }
        }

        output.WriteLine(separator == " (" ? string.Empty : ")");
        if (logEvent.Exception is not null)
        {
            output.WriteLine(logEvent.Exception);
        }
    }
}
