package io.reelbox.cluster;

import javax.sql.DataSource;

import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;

/**
 * The intake's idempotent repository in a cluster: Camel's JDBC repository on the cluster database, so a drop is
 * claimed by one node only. Camel's add() counts, then inserts: two nodes that count at once both try to insert,
 * and the loser gets a duplicate-key error in the middle of its inbox poll. Here the insert itself decides
 * ({@code ON CONFLICT DO NOTHING}): the loser simply skips the file and leaves no trace.
 */
public final class ClaimRepository extends JdbcMessageIdRepository {

    public ClaimRepository(DataSource db) {
        super(db, "reelbox-intake");
        // Flyway made the table (Camel's default name), with a key wide enough for a drop key. No setTableName():
        // Camel would then rebuild every statement from its defaults, dropping the insert below.
        setCreateTableIfNotExists(false);
        setInsertString("INSERT INTO camel_messageprocessed (processorName, messageId, createdAt) VALUES (?, ?, ?) "
                + "ON CONFLICT (processorName, messageId) DO NOTHING");
    }

    @Override
    public boolean add(String key) {
        return insert(key) == 1;
    }
}
