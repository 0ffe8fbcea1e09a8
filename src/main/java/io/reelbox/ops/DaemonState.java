package io.reelbox.ops;

import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.reelbox.config.Settings;
import io.reelbox.job.CreditGate;
import io.reelbox.job.DiskGate;

/** The top of the job view: whether intake takes jobs (and why not), and the settings a user asks about first. */
public record DaemonState(Settings settings, CreditGate credits, DiskGate disks, String api) implements Supplier<ObjectNode> {

    @Override
    public ObjectNode get() {
        ObjectNode root = JobBoard.JSON.createObjectNode();
        ObjectNode intake = root.putObject("intake");
        String disk = disks.shortOf();
        if (credits.paused()) {
            intake.put("state", "paused-for-credits").put("message", "Out of credits: jobs wait in the inbox until the "
                    + "balance is positive again (checked every " + settings.get("reelbox.credits.check-interval") + ")");
        } else if (disk != null) {
            intake.put("state", "paused-for-disk").put("message", "Jobs wait in the inbox: " + disk);
        } else {
            intake.put("state", "running");
        }
        root.putObject("settings").put("inbox", settings.path("reelbox.inbox").toString())
                .put("outbox", settings.path("reelbox.outbox").toString()).put("api", api)
                .put("concurrency", settings.integer("reelbox.concurrency"))
                .put("max_upload", settings.get("reelbox.upload.max-size"))
                .put("default_language", settings.get("reelbox.default-language"));
        return root;
    }
}
