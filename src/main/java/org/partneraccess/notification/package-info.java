/** Mail to staff and partners about requests, approvals and revocations. */
@ApplicationModule(allowedDependencies = {"partnership", "security"})
package org.partneraccess.notification;

import org.springframework.modulith.ApplicationModule;
