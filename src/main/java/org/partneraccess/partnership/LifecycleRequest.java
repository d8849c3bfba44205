package org.partneraccess.partnership;

import org.partneraccess.PlainText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a partnership is suspended, resumed or terminated. */
public record LifecycleRequest(@NotBlank @Size(max = 1000) @PlainText(multiline = true) String reason) {
}
