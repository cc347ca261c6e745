package io.mediastore.samples.server.internal;

import io.mediastore.samples.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreEmbeddedAndLocal() throws Exception {
        ServerConfig c = ServerConfig.load(dir.resolve("absent.properties"), Map.of("MEDIASTORE_DATA_DIR", dir.toString()));
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(8443, c.apiPort());
        assertEquals(8444, c.webPort());
        assertEquals(-1, c.httpRedirectPort());
        assertTrue(c.dbUrl().startsWith("jdbc:h2:file:" + dir.resolve("db")));
        assertEquals(dir.resolve("blobs").toUri(), c.blobUri());
        assertEquals(dir.resolve("secrets.properties"), c.secretsFile());
    }

    @Test
    void fileThenEnvironmentOverrides() throws Exception {
        Path f = dir.resolve("c.properties");
        Files.writeString(f, "api.port=9443\ndb.url=jdbc:postgresql://db:5432/media\ndb.password=filepw\ntokens.playbackTtl=PT2M\n"
                + "blob.uri=s3://media/?region=eu-west-1\n");
        ServerConfig c = ServerConfig.load(f, Map.of("MEDIASTORE_API_PORT", "10443", "MEDIASTORE_DB_PASSWORD", "envpw",
                "MEDIASTORE_TOKENS_PLAYBACK_TTL", "PT90S"));
        assertEquals(10443, c.apiPort());
        assertEquals("jdbc:postgresql://db:5432/media", c.dbUrl());
        assertEquals("envpw", c.dbPassword());
        assertEquals(Duration.ofSeconds(90), c.tokenTtlForPlayback());
        assertEquals(URI.create("s3://media/?region=eu-west-1"), c.blobUri());
        assertFalse(c.toString().contains("envpw"));
    }

    @Test
    void envNamesFollowTheKeys() {
        assertEquals("MEDIASTORE_TOKENS_PLAYBACK_TTL", ServerConfig.envName("tokens.playbackTtl"));
        assertEquals("MEDIASTORE_BLOB_S3_SECRET_KEY", ServerConfig.envName("blob.s3.secretKey"));
        assertEquals("MEDIASTORE_HTTP_REDIRECT_PORT", ServerConfig.envName("http.redirectPort"));
    }

    @Test
    void badValuesAreRefusedWithTheKeyAndWithoutSecrets() throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "no.such.key=1\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(f, Map.of()));
        assertTrue(e.getMessage().contains("no.such.key"));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(null, Map.of("MEDIASTORE_API_PORT", "70000")));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(null, Map.of("MEDIASTORE_DB_URL", "jdbc:mysql://x")));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(null, Map.of("MEDIASTORE_PUBLIC_API_URL", "http://x")));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.load(null, Map.of("MEDIASTORE_CORS_ALLOWED_ORIGINS", "https://a/path")));
        assertThrows(IllegalArgumentException.class, () -> ServerConfig.builder().apiPort(8000).webPort(8000).build());
    }

    @Test
    void everyKeyHasAnEnvironmentVariableAndParses() throws Exception {
        for (String key : ServerConfig.KEYS.keySet()) {
            assertTrue(ServerConfig.envName(key).startsWith("MEDIASTORE_"));
        }
        Map<String, String> defaults = new java.util.HashMap<>();
        ServerConfig.KEYS.forEach((k, v) -> {
            if (!v.isEmpty()) {
                defaults.put(ServerConfig.envName(k), v);
            }
        });
        ServerConfig c = ServerConfig.load(null, defaults);
        assertEquals(8443, c.apiPort());
    }
}
