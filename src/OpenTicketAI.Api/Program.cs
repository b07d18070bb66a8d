using OpenTicketAI.Api.Dashboard;
using OpenTicketAI.Api.Documentation;
using OpenTicketAI.Api.Feedback;
using OpenTicketAI.Api.Health;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Integrations;
using OpenTicketAI.Api.Logging;
using OpenTicketAI.Api.Metrics;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Predictions;

var builder = WebApplication.CreateBuilder(args);

builder.AddOpenTicketAiHosting();
builder.AddOpenTicketAiLogging();
builder.Services.AddApiProblemDetails();
builder.Services.AddTicketModels();
builder.Services.AddPredictions();
builder.Services.AddModelHealthChecks();
builder.Services.AddApiDocumentation();
builder.AddHelpDeskIntegrations();
builder.AddFeedbackLoop();
builder.Services.AddOpenTicketAiMetrics();

var app = builder.Build();

app.UseOpenTicketAiRequestLogging();
app.UseApiErrorHandling();
app.UseApiDocumentation();

app.MapPredictionEndpoints();
app.MapModelEndpoints();
app.MapHealthEndpoints();
app.MapIntegrationEndpoints();
app.MapFeedbackEndpoints();
app.MapMetrics();
app.MapDashboard();

app.Run();

public partial class Program;
