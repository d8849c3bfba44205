<#-- What the application wrote on the person's account for the invitation (attributes partner-access.invitation.*). -->
<#function attribute user name fallback="">
  <#return (user.attributes["partner-access.invitation." + name])!fallback>
</#function>
<#function sponsor user><#return attribute(user, "sponsor", "Your sponsor")></#function>
<#function organisation user><#return attribute(user, "organisation", "your organisation")></#function>
<#function purpose user><#return attribute(user, "purpose")></#function>
<#function lastDay user><#return attribute(user, "last-day")></#function>
