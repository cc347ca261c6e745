package io.mediastore.storage.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Copies a stream to a holding place and hands back a stream over the copy: in memory up to a small limit, in an
 * owner-only temporary file (deleted on close) beyond it. Lets a caller read a whole blob, check it, and only then
 * release it, with bounded memory.
 */
public final class Spool {
    private Spool() {
    }

    public static InputStream of(InputStream in, Path dir, int memoryLimit) throws IOException {
        byte[] head = in.readNBytes(memoryLimit + 1);
        if (head.length <= memoryLimit) {
            return new ByteArrayInputStream(head);
        }
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "spool-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(head);
                in.transferTo(out);
            }
            // the file is unlinked when the caller closes the stream
            return Files.newInputStream(file, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
