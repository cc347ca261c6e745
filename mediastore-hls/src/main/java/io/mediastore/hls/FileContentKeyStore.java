package io.mediastore.hls;

import io.mediastore.hls.spi.ContentKeyStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.Optional;

/**
 * The default {@link ContentKeyStore}: one file per key in a directory of its own, each key wrapped
 * with AES-256-GCM under a {@link MasterKey}, the key id bound as associated data so that a wrapped
 * key copied to another id does not unwrap. File layout: {@code "MSK1"}, 12-byte nonce, 16 bytes of
 * ciphertext, 16-byte tag. Writes are atomic (temporary file, then rename) and owner-only on POSIX.
 * Keep this directory apart from the published segments.
 */
@Singleton
public final class FileContentKeyStore implements ContentKeyStore {
  private final Path dir;
  private final MasterKey masterKey;
  private final SecureRandom random;

  @Inject
  public FileContentKeyStore(Path dir, MasterKey masterKey) {
    this(dir, masterKey, new SecureRandom());
  }

  public FileContentKeyStore(Path dir, MasterKey masterKey, SecureRandom random) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.masterKey = Objects.requireNonNull(masterKey, "masterKey");
    this.random = Objects.requireNonNull(random, "random");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "cannot create key directory " + dir, e);
    }
  }

  @Override
  public void put(ContentKey key) {
    Objects.requireNonNull(key, "key");
    Path target = file(key.keyId());
    if (Files.exists(target)) {
      throw new IllegalStateException("a key with id " + key.keyId() + " already exists");
    }
    byte[] out = KeyWrap.wrap(masterKey, key, random);
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, ".put-", ".tmp");
      restrict(tmp);
      Files.write(tmp, out);
      // link-then-delete semantics: a concurrent put of the same id loses instead of overwriting
      try {
        Files.createLink(target, tmp);
      } catch (UnsupportedOperationException | IOException linkUnsupported) {
        if (linkUnsupported instanceof FileAlreadyExistsException) {
          throw linkUnsupported;
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target);
        }
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalStateException("a key with id " + key.keyId() + " already exists");
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "cannot write key " + key.keyId(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // a stray temporary file holds only wrapped bytes
        }
      }
    }
  }

  @Override
  public Optional<ContentKey> get(String keyId) {
    Path f = file(keyId);
    byte[] in;
    try {
      in = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "cannot read key " + keyId, e);
    }
    return Optional.of(KeyWrap.unwrap(masterKey, keyId, in));
  }

  @Override
  public boolean delete(String keyId) {
    try {
      return Files.deleteIfExists(file(keyId));
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.KEY_STORE_FAILURE, "cannot delete key " + keyId, e);
    }
  }

  /** The directory the wrapped keys live in (the packager refuses to publish segments into or around it). */
  public Path directory() {
    return dir;
  }

  private Path file(String keyId) {
    return dir.resolve(ContentKey.checkId(keyId) + ".key");
  }

  private static void restrict(Path p) throws IOException {
    try {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // non-POSIX file systems rely on the directory's own ACL
    }
  }
}
