namespace CcBot.Core.Storage;

/// <summary>Tables of the conversation pipeline: transcript, de-duplication, conversations (reference + state), users, escalations.</summary>
public sealed class CoreMigrations : IMigrationSource
{
    public IEnumerable<Migration> Migrations =>
    [
        new("0001_core", """
            CREATE TABLE transcript(
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                conversation_key TEXT NOT NULL,
                inbound INTEGER NOT NULL,
                activity_id TEXT NOT NULL,
                channel TEXT NOT NULL,
                user_id TEXT,
                kind TEXT NOT NULL,
                text TEXT,
                value TEXT,
                payload TEXT,
                created_at TEXT NOT NULL,
                status TEXT NOT NULL,
                channel_message_id TEXT,
                error TEXT);
            CREATE INDEX ix_transcript_conversation ON transcript(conversation_key, seq);
            CREATE INDEX ix_transcript_pending ON transcript(status) WHERE status IN ('pending', 'retry');
            -- De-duplication (see 0002): one inbound row per activity id; a redelivery conflicts and is not stored again.
            CREATE UNIQUE INDEX ux_transcript_inbound ON transcript(channel, activity_id) WHERE inbound = 1;
            CREATE VIEW processed_activities AS SELECT channel, activity_id, seq FROM transcript WHERE inbound = 1;
            CREATE TABLE conversations(
                conversation_key TEXT PRIMARY KEY,
                channel TEXT NOT NULL,
                conversation_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                reference TEXT NOT NULL,
                state TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                unreachable_at TEXT);
            CREATE TABLE users(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                channel TEXT NOT NULL,
                channel_user_id TEXT NOT NULL,
                display_name TEXT,
                full_name TEXT,
                unit TEXT,
                consent_at TEXT,
                created_at TEXT NOT NULL,
                unreachable_at TEXT,
                UNIQUE(channel, channel_user_id));
            CREATE TABLE escalations(
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                conversation_key TEXT NOT NULL,
                channel TEXT NOT NULL,
                user_id TEXT NOT NULL,
                inbound_seq INTEGER,
                reason TEXT NOT NULL,
                text TEXT NOT NULL,
                intent TEXT,
                confidence REAL,
                contest_id TEXT,
                status TEXT NOT NULL DEFAULT 'open',
                created_at TEXT NOT NULL);
            CREATE INDEX ix_escalations_status ON escalations(status, created_at);
            CREATE TABLE settings(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """),
        new("0002_transcript_per_conversation", """
            -- A client activity id is the client's: two conversations may both send "1". De-duplicate within a conversation.
            DROP INDEX ux_transcript_inbound;
            CREATE UNIQUE INDEX ux_transcript_inbound ON transcript(conversation_key, activity_id) WHERE inbound = 1;
            DROP VIEW processed_activities;
            CREATE VIEW processed_activities AS SELECT conversation_key, channel, activity_id, seq FROM transcript WHERE inbound = 1;
            -- The inbound message a reply answers (Direct Line's replyToId).
            ALTER TABLE transcript ADD COLUMN reply_to_seq INTEGER;
            """),
    ];
}
