using OpenTicketAI.Api.Dashboard;
using OpenTicketAI.Api.Documentation;
using OpenTicketAI.Api.Feedback;
using OpenTicketAI.Api.Health;
using OpenTicketAI.Api.Hosting;
using OpenTicketAI.Api.Integrations;
using OpenTicketAI.Api.Knowledge;
using OpenTicketAI.Api.Limits;
using OpenTicketAI.Api.Logging;
using OpenTicketAI.Api.Metrics;
using OpenTicketAI.Api.Models;
using OpenTicketAI.Api.Predictions;
using OpenTicketAI.Api.Retraining;
using OpenTicketAI.Api.Security;
using OpenTicketAI.Api.Versions;

var builder = WebApplication.CreateBuilder(args);

builder.AddOpenTicketAiHosting();
builder.AddOpenTicketAiLogging();
builder.Services.AddApiProblemDetails();
builder.Services.AddApiKeySecurity();
builder.Services.AddRequestLimits();
builder.Services.AddTicketModels();
builder.Services.AddModelVersions();
builder.Services.AddRetraining();
builder.Services.AddPredictions();
builder.Services.AddKnowledge();
builder.Services.AddModelHealthChecks();
builder.Services.AddApiDocumentation();
builder.AddHelpDeskIntegrations();
builder.AddFeedbackLoop();
builder.Services.AddOpenTicketAiMetrics();

var app = builder.Build();

app.UseOpenTicketAiRequestLogging();
app.UseApiErrorHandling();
app.UseApiDocumentation();
app.UseAuthentication();
app.UseRequestLimits();
app.UseAuthorization();

app.MapPredictionEndpoints();
app.MapKnowledgeEndpoints();
app.MapModelEndpoints();
app.MapModelVersionEndpoints();
app.MapRetrainingEndpoints();
app.MapHealthEndpoints();
app.MapIntegrationEndpoints();
app.MapFeedbackEndpoints();
app.MapMetrics();
app.MapDashboard();

app.Run();

public partial class Program;
