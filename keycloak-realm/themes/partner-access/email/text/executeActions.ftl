<#ftl output_format="plainText">
<#import "invitation.ftl" as invitation>
<#assign actions><#if requiredActions??><#list requiredActions as action>${msg("requiredAction.${action}")}<#sep>, </#sep></#list></#if></#assign>
${msg("partnerInvitationIntro", user.firstName!"")}

${msg("partnerInvitationWho", invitation.sponsor(user), invitation.organisation(user), realmName)}
<#if invitation.purpose(user)?has_content>${msg("partnerInvitationWhy", invitation.purpose(user))}
</#if><#if invitation.lastDay(user)?has_content>${msg("partnerInvitationUntil", invitation.lastDay(user))}
</#if>
${msg("partnerInvitationNext", linkExpirationFormatter(linkExpiration), actions)}

${link}

${msg("partnerInvitationIgnore", invitation.sponsor(user))}
