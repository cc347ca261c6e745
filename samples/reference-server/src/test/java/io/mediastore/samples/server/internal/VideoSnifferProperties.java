package io.mediastore.samples.server.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class VideoSnifferProperties {
    static byte[] pad(byte[] b) {
        return java.util.Arrays.copyOf(b, VideoSniffer.PEEK);
    }

    @Test
    void knownContainers() {
        byte[] mp4 = pad(new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm'});
        assertEquals("video/mp4", VideoSniffer.sniff(mp4, mp4.length));
        byte[] m4a = pad(new byte[] {0, 0, 0, 0x20, 'f', 't', 'y', 'p', 'M', '4', 'A', ' '});
        assertNull(VideoSniffer.sniff(m4a, m4a.length), "audio-only MP4 brand");
        byte[] mkv = pad(("\u001a\u0045\u00df\u00a3....webm").getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("video/webm", VideoSniffer.sniff(mkv, mkv.length));
        byte[] ts = new byte[VideoSniffer.PEEK];
        ts[0] = 0x47;
        ts[188] = 0x47;
        assertEquals("video/mp2t", VideoSniffer.sniff(ts, ts.length));
        assertNull(VideoSniffer.sniff(ts, 100), "too short to tell");
        byte[] png = pad(new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        assertNull(VideoSniffer.sniff(png, png.length));
    }

    @Property(tries = 500)
    void anyInputAnyLengthNeverThrows(@ForAll @Size(max = 400) byte[] head) {
        byte[] b = pad(head);
        VideoSniffer.sniff(b, Math.min(head.length, b.length));
    }
}
