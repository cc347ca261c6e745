package io.mediastore.tokens;

import io.mediastore.tokens.spi.InMemoryKeySource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The README's usage example, compiled and run so it cannot rot. */
class ReadmeExampleTest {
    @Test
    void issueADownloadLinkAndVerifyIt() {
        // README example begins
        TokenService tokens = TokenService.builder(new InMemoryKeySource(
                KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "2026-12")))).build();
        SignedUrls urls = new SignedUrls(tokens);

        // backend: a 10-minute download link for one asset
        String link = urls.sign("/assets/123/annual report.pdf", Map.of(),
                TokenSpec.builder().subject("user-42").resource(Resource.exact("/assets/123/annual report.pdf"))
                        .actions("download").lifetime(Duration.ofMinutes(10)).build());
        // -> /assets/123/annual%20report.pdf?ms_token=ms1.2026-12.AAAB...

        // download endpoint: verify before sending a byte (raw path + query as received)
        try {
            Grant grant = urls.verify(link, "download", ClientContext.none());
            System.out.println("serving " + grant.resource().value() + " to " + grant.subject());
        } catch (TokenRejectedException e) {
            System.out.println("403: " + e.reason()); // EXPIRED, BAD_SIGNATURE, WRONG_RESOURCE, ...
        }
        // README example ends
        assertEquals("user-42", urls.verify(link, "download", ClientContext.none()).subject());
    }
}
