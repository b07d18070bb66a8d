#:project ../../src/OpenTicketAI.Knowledge/OpenTicketAI.Knowledge.csproj
#:property PublishAot=false
// Does a writer lock exclude a second PROCESS? Start one holder, then a second instance while it holds:
//   dotnet run bench/answers/WriterLockProbe.cs -- lucene DIR 20 &  sleep 8; dotnet run bench/answers/WriterLockProbe.cs -- lucene DIR 0
//   dotnet run bench/answers/WriterLockProbe.cs -- collection DIR 20 &  sleep 8; dotnet run bench/answers/WriterLockProbe.cs -- collection DIR 0
// "lucene": Lucene.NET's IndexWriter (its NativeFSLockFactory write.lock, 1 s timeout); "collection": the OS file lock
// KnowledgeIndex takes before every commit (an exclusive FileStream on DIR/write.lock: flock on Linux).
using Lucene.Net.Index;
using Lucene.Net.Store;
using OpenTicketAI.Knowledge.Retrieval;

var (kind, path, hold) = (args[0], args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
System.IO.Directory.CreateDirectory(path);
try
{
    if (kind == "lucene")
    {
        using var directory = FSDirectory.Open(path);
        using var writer = new IndexWriter(directory, new IndexWriterConfig(TicketAnalyzer.Version, new TicketAnalyzer()) { WriteLockTimeout = 1000 });
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} pid {Environment.ProcessId}: IndexWriter open ({directory.LockFactory.GetType().Name}), holding {hold} s");
        Thread.Sleep(TimeSpan.FromSeconds(hold));
    }
    else
    {
        using var file = new FileStream(Path.Combine(path, "write.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} pid {Environment.ProcessId}: write.lock held, holding {hold} s");
        Thread.Sleep(TimeSpan.FromSeconds(hold));
    }
}
catch (Exception ex) when (ex is IOException or LockObtainFailedException)
{
    Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} pid {Environment.ProcessId}: refused: {ex.GetType().Name}: {ex.Message}");
}
