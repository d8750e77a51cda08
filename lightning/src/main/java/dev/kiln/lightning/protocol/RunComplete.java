package dev.kiln.lightning.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code run:complete} (spec §3.2): only these six keys (lightning-mock rejects others). On the
 * error path only {@code reason}, {@code error_type}, {@code error_message} are sent.
 *
 * @param finalState the workflow result as JSON text
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunComplete(
    @JsonProperty("reason") @JsonInclude(JsonInclude.Include.ALWAYS) String reason,
    @JsonProperty("error_type") @JsonInclude(JsonInclude.Include.ALWAYS) String errorType,
    @JsonProperty("error_message") @JsonInclude(JsonInclude.Include.ALWAYS) String errorMessage,
    @JsonProperty("timestamp") String timestamp,
    @JsonProperty("final_state") RawJson finalState,
    @JsonProperty("final_dataclip_id") String finalDataclipId) {

  /** The error-path payload: reason and error fields only. */
  public static RunComplete failed(String reason, String errorType, String errorMessage) {
    return new RunComplete(reason, errorType, errorMessage, null, null, null);
  }
}
