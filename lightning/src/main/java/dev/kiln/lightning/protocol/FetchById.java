package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Payload of {@code fetch:dataclip} and {@code fetch:credential}: {@code {"id": "..."}}. */
public record FetchById(@JsonProperty("id") String id) {}
