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

    /**
     * Withdraws the claims among {@code keys} (drops still in the inbox) made before {@code before}: the node that
     * made each died between its claim and the move of the files (a poll claims all its ready drops first, then
     * moves them one by one). Another node can then take the drop. Returns how many were withdrawn.
     */
    public int releaseStale(java.util.List<String> keys, java.time.Instant before) {
        if (keys.isEmpty()) {
            return 0;
        }
        return getJdbcTemplate().update(con -> {
            java.sql.PreparedStatement s = con.prepareStatement("DELETE FROM camel_messageprocessed WHERE processorName = ? "
                    + "AND messageId = ANY(?) AND createdAt < ?");
            s.setString(1, getProcessorName());
            s.setArray(2, con.createArrayOf("varchar", keys.toArray()));
            s.setTimestamp(3, java.sql.Timestamp.from(before));
            return s;
        });
    }
}
