using CcBot.Core.Storage;

namespace CcBot.Core.Entries;

/// <summary>Tables of the entries slice; instants as Unix milliseconds (UTC).</summary>
public sealed class EntryMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0300_entries", """
            CREATE TABLE entries(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                contest_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                receipt TEXT NOT NULL,
                user_id INTEGER NOT NULL,
                full_name TEXT NOT NULL,
                unit TEXT NOT NULL,
                unit_key TEXT NOT NULL,
                title TEXT NOT NULL,
                file_hash TEXT,
                file_name TEXT,
                file_size INTEGER,
                video_url TEXT,
                text TEXT,
                received_at INTEGER NOT NULL,
                approved INTEGER NOT NULL DEFAULT 0,
                UNIQUE(contest_id, seq),
                UNIQUE(contest_id, receipt));
            CREATE INDEX ix_entries_user ON entries(user_id);
            CREATE INDEX ix_entries_unit ON entries(contest_id, unit_key);
            CREATE TABLE entry_similarity(
                contest_id TEXT NOT NULL,
                entry_a INTEGER NOT NULL,
                entry_b INTEGER NOT NULL,
                score REAL NOT NULL,
                passages TEXT NOT NULL,
                PRIMARY KEY(entry_a, entry_b)) WITHOUT ROWID;
            CREATE INDEX ix_entry_similarity_contest ON entry_similarity(contest_id);
            CREATE TABLE entry_reopen(
                contest_id TEXT NOT NULL,
                unit_key TEXT NOT NULL,
                until_at INTEGER NOT NULL,
                PRIMARY KEY(contest_id, unit_key)) WITHOUT ROWID;
            """),
    ];
}
