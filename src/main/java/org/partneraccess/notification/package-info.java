/** Mail to staff and partners about requests, approvals and revocations. */
@ApplicationModule(allowedDependencies = {})
package org.partneraccess.notification;

import org.springframework.modulith.ApplicationModule;
