/** The mail transport: plain-text mails and the links they carry to the application; each feature writes its own. */
@ApplicationModule(allowedDependencies = {})
package org.partneraccess.mail;

import org.springframework.modulith.ApplicationModule;
