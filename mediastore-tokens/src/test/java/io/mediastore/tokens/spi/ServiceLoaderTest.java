package io.mediastore.tokens.spi;

import io.mediastore.tokens.AccessRequest;
import io.mediastore.tokens.Resource;
import io.mediastore.tokens.TokenService;
import io.mediastore.tokens.TokenSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceLoaderTest {
    @Test
    void aRegisteredKeySourcePluginIsDiscovered() {
        TokenService s = TokenService.builder().build();
        String t = s.issue(TokenSpec.builder().subject("u").resource(Resource.exact("a")).actions("download")
                .lifetime(Duration.ofMinutes(1)).build()).token();
        assertTrue(t.startsWith("ms1.plugin-key."));
        assertEquals("plugin-key", s.verify(t, AccessRequest.of("a", "download")).keyId());
    }

    @Test
    void theBuiltInDefaultsAreRegistered() {
        assertTrue(ServiceLoader.load(ReplayGuard.class).stream().anyMatch(p -> p.type() == InMemoryReplayGuard.class));
        assertTrue(ServiceLoader.load(RevocationList.class).stream().anyMatch(p -> p.type() == InMemoryRevocationList.class));
    }
}
