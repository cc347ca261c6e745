package io.mediastore.samples.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Recognises common video containers by their first bytes, for uploads whose declared type is not {@code video/*}
 * (a browser sends {@code application/octet-stream} for unknown extensions). The transcoder's ffprobe has the last
 * word: a file that is not really video fails transcoding with a stable error.
 */
public final class VideoSniffer {
    /** Bytes to look at. */
    public static final int PEEK = 376;
    private static final Set<String> MP4_BRANDS = Set.of("isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1",
            "qt  ", "M4V ", "M4VH", "M4VP", "3gp4", "3gp5", "3gp6", "3g2a", "dash", "mmp4", "MSNV");

    private VideoSniffer() {
    }

    /** The video media type the header shows, or null. */
    public static String sniff(byte[] head, int length) {
        if (length >= 12 && head[4] == 'f' && head[5] == 't' && head[6] == 'y' && head[7] == 'p') {
            String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
            if (MP4_BRANDS.contains(brand)) {
                return brand.equals("qt  ") ? "video/quicktime" : "video/mp4";
            }
            return null;
        }
        if (length >= 4 && (head[0] & 0xff) == 0x1a && (head[1] & 0xff) == 0x45 && (head[2] & 0xff) == 0xdf && (head[3] & 0xff) == 0xa3) {
            String doc = new String(head, 0, length, StandardCharsets.ISO_8859_1);
            return doc.contains("webm") ? "video/webm" : "video/x-matroska";
        }
        if (length >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'A' && head[9] == 'V' && head[10] == 'I') {
            return "video/x-msvideo";
        }
        if (length >= 189 + 188 - 1 && head[0] == 0x47 && head[188] == 0x47) {
            return "video/mp2t";
        }
        return null;
    }
}
