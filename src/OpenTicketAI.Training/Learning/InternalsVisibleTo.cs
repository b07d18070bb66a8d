using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("OpenTicketAI.Training.Tests")]
