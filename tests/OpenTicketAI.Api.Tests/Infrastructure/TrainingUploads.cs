using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using OpenTicketAI.Training.Data;

namespace OpenTicketAI.Api.Tests.Infrastructure;

/// <summary>Training jobs as an admin starts them: a CSV upload to <c>POST /models/{name}/train</c>, then polling the job until it ends.</summary>
public static class TrainingUploads
{
    public static MultipartFormDataContent Upload(string csv, params (string Name, string Value)[] fields)
    {
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        var form = new MultipartFormDataContent { { file, "file", "tickets.csv" } };
        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    /// <summary>The columns <c>subject, body, queue, priority</c>, as most help-desk exports have them.</summary>
    public static string Csv(IEnumerable<LabeledTicket> rows)
    {
        static string Quote(string? value) => $"\"{(value ?? string.Empty).Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var csv = new StringBuilder("subject,body,queue,priority\n");
        foreach (var row in rows)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Quote(row.Text.Subject)},{Quote(row.Text.Body)},{Quote(row.Labels.GetValueOrDefault("queue"))},{Quote(row.Labels.GetValueOrDefault("priority"))}\n");
        }

        return csv.ToString();
    }

    public static async Task<JsonElement> WaitForJobAsync(HttpClient client, Uri location)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            var job = await (await client.GetAsync(location)).ReadJsonAsync();
            if (job.GetProperty("state").GetString() is "Succeeded" or "Failed" or "Cancelled")
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the job did not finish: {job}");
            await Task.Delay(100);
        }
    }
}
