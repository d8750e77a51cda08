package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Join payload of {@code run:<id>}: {@code {"token": "<run JWT>"}}. */
public record RunJoin(@JsonProperty("token") String token) {}
