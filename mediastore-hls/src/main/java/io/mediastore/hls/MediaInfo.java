package io.mediastore.hls;

/** What ffprobe found in a file: duration in seconds, the first video stream's size and frame rate (0 without video). */
public record MediaInfo(double durationSeconds, boolean hasVideo, int width, int height, double frameRate, boolean hasAudio) {}
