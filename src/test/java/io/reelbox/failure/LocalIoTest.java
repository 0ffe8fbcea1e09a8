package io.reelbox.failure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Local I/O errors are classified by their cause and their place, never as API failures. */
class LocalIoTest {

    private static final Path FILE = Path.of("/srv/reelbox/outbox/.promo.mp4.1234abcd.part");

    /** The system's messages (strerror) as Java reports them: in a plain IOException (streams) or a FileSystemException (NIO). */
    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("ENOSPC", new IOException("No space left on device"), true),
                Arguments.of("ENOSPC", new FileSystemException(FILE.toString(), null, "No space left on device"), true),
                Arguments.of("EDQUOT", new IOException("Disk quota exceeded"), true),
                Arguments.of("EACCES", new AccessDeniedException(FILE.toString()), false),
                Arguments.of("EACCES", new IOException("Permission denied"), false),
                Arguments.of("EROFS", new FileSystemException(FILE.toString(), null, "Read-only file system"), false),
                Arguments.of("EIO", new IOException("Input/output error"), false));
    }

    @ParameterizedTest(name = "{0} on each folder")
    @MethodSource("errors")
    void eachCauseOnEachFolder(String errno, IOException e, boolean full) {
        assertEquals(full, LocalIo.isFull(e));

        JobFailure outbox = LocalIo.failure(LocalIo.Place.OUTBOX, FILE, e);
        assertEquals(full ? "outbox-full" : "local-io", outbox.code());
        if (full) {
            assertInstanceOf(OutboxFull.class, outbox, "a full outbox parks the job instead of failing it");
        }
        JobFailure work = LocalIo.failure(LocalIo.Place.WORK_DIR, Path.of("/srv/reelbox/.reelbox/journal"), e);
        assertEquals(full ? "work-dir-full" : "local-io", work.code());
        JobFailure inbox = LocalIo.failure(LocalIo.Place.INBOX, Path.of("/srv/reelbox/inbox/.done"), e);
        assertEquals("local-io", inbox.code());

        for (JobFailure f : new JobFailure[] {outbox, work, inbox}) {
            assertTrue(!(f instanceof io.reelbox.nemo.ApiException), "never an API failure: " + f);
            assertTrue(f.getMessage().contains("/srv/reelbox/"), "names the place: " + f.getMessage());
            assertTrue(f.getMessage().contains(full ? "no space left" : "cannot write"), f.getMessage());
        }
        assertTrue(outbox.hint().contains(full ? "free space on the disk that holds reelbox.outbox" : "permissions"), outbox.hint());
        assertTrue(work.hint().contains(full ? "reelbox.work-dir" : "permissions"), work.hint());
        assertTrue(inbox.getMessage().contains("the inbox"));
    }
}
