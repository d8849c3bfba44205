package org.partneraccess.partnership;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a partnership is suspended, resumed or terminated. */
public record LifecycleRequest(@NotBlank @Size(max = 1000) String reason) {
}
