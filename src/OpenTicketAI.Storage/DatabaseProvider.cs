namespace OpenTicketAI.Storage;

/// <summary>Where a store keeps its data. The names match the <c>Provider</c> settings of the stores that use them.</summary>
public enum DatabaseProvider
{
    /// <summary>One embedded database file; enough for one replica.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server shared by several replicas.</summary>
    PostgreSql,
}
