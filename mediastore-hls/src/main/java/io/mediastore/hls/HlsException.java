package io.mediastore.hls;

import java.util.Objects;

/**
 * The one unchecked exception of this module. {@link #reason()} is machine-readable; the message
 * names the offending offset or attribute and never contains key material or tokens.
 */
public final class HlsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an operation failed. */
  public enum Reason {
    /** The input does not start with MPEG-TS packets (no 0x47 sync byte every 188 bytes). */
    NOT_TRANSPORT_STREAM,
    /** A packet inside the stream lost its 0x47 sync byte. */
    SYNC_LOST,
    /** The stream ends inside a packet. */
    TRUNCATED,
    /** A packet header or adaptation field is malformed. */
    MALFORMED_PACKET,
    /** A PAT or PMT section is malformed (length, CRC-32). */
    MALFORMED_PSI,
    /** No PAT was found at the start of the stream. */
    MISSING_PAT,
    /** The PAT names no PMT, or the PMT never arrives. */
    MISSING_PMT,
    /** The PMT lists no audio or video stream that can be segmented. */
    NO_MEDIA_STREAM,
    /** The file is not audio or video (ffprobe finds no stream). */
    NOT_MEDIA,
    /** FFmpeg failed; the message carries the tail of its error output. */
    TRANSCODE_FAILED,
    /** The job was cancelled. */
    CANCELLED,
    /** The ffmpeg or ffprobe executable could not be found or started. */
    TOOL_UNAVAILABLE,
    /** A playlist could not be parsed. */
    INVALID_PLAYLIST,
    /** A content key store could not read, write or unwrap a key. */
    KEY_STORE_FAILURE,
    /** Reading the input or writing the output failed. */
    IO
  }

  private final Reason reason;

  public HlsException(Reason reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public HlsException(Reason reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
