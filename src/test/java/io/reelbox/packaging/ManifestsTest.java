package io.reelbox.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The compose file and the Kubernetes manifest agree with the image (packaging/container/Containerfile) and with the
 * daemon: the same folders, a numeric non-root user, the health endpoints that exist, the password from outside.
 * ContainerIT runs the image itself.
 */
class ManifestsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void composeMountsTheImagesFoldersAndNeedsAPassword() throws Exception {
        JsonNode svc = YAML.readTree(Path.of("packaging/compose.yaml").toFile()).path("services").path("reelbox");
        assertTrue(svc.path("user").asText().matches("\\d+:\\d+"), "a numeric user");
        List<String> targets = new ArrayList<>();
        svc.path("volumes").forEach(v -> targets.add(v.asText().replaceFirst("^[^:]*:", "")));
        assertEquals(List.of("/inbox", "/outbox", "/config"), targets);
        assertTrue(svc.path("environment").path("REELBOX_HTTP_PASSWORD").asText().contains(":?"), "refuses to start without one");
        assertTrue(Files.readString(Path.of("packaging/container/Containerfile")).contains("VOLUME [\"/inbox\", \"/outbox\", \"/config\"]"));
    }

    @Test
    void kubernetesRunsOneNonRootReplicaProbedOnTheRealHealthEndpoints() throws Exception {
        JsonNode deployment = null;
        for (JsonNode doc : YAML.readerFor(JsonNode.class).<JsonNode>readValues(Path.of("packaging/kubernetes.yaml").toFile()).readAll()) {
            if (doc.path("kind").asText().equals("Deployment")) {
                deployment = doc;
            }
        }
        JsonNode spec = deployment.path("spec");
        assertEquals(1, spec.path("replicas").asInt(), "one replica without the cluster database");
        JsonNode pod = spec.path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        JsonNode c = pod.path("containers").get(0);
        assertEquals("/observe/health/live", c.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/observe/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("REELBOX_HTTP_PASSWORD", c.path("env").get(0).path("name").asText());
        assertTrue(c.path("env").get(0).path("valueFrom").has("secretKeyRef"), "the password from a Secret");
        List<String> mounts = new ArrayList<>();
        c.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        assertTrue(mounts.containsAll(List.of("/inbox", "/outbox", "/config")), mounts.toString());
    }
}
