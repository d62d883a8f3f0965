<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>About Operator</source>
        <translation>About Operator</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>The whole customer in one window.</source>
        <translation>The whole customer in one window.</translation>
    </message>
</context>
<context>
    <name>AccountActions</name>
    <message>
        <source>You are signed out.</source>
        <translation>You are signed out.</translation>
    </message>
    <message>
        <source>You are signed out on this computer; the server could not be told (it ends the session when it expires).</source>
        <translation>You are signed out on this computer; the server could not be told (it ends the session when it expires).</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>Not signed in — File › Sign in…</source>
        <translation>Not signed in — File › Sign in…</translation>
    </message>
    <message>
        <source>The cache was not wiped: {reason}</source>
        <translation>The cache was not wiped: {reason}</translation>
    </message>
    <message>
        <source>The local cache was wiped; downloading everything again.</source>
        <translation>The local cache was wiped; downloading everything again.</translation>
    </message>
    <message>
        <source>The local cache was wiped; sign in to download it again.</source>
        <translation>The local cache was wiped; sign in to download it again.</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <source>The server cannot be reached. Nothing was changed; your edits are kept — try again when the connection is back.</source>
        <translation>The server cannot be reached. Nothing was changed; your edits are kept — try again when the connection is back.</translation>
    </message>
    <message>
        <source>Your session has ended; sign in again, then retry.</source>
        <translation>Your session has ended; sign in again, then retry.</translation>
    </message>
    <message>
        <source>Only admins may change this.</source>
        <translation>Only admins may change this.</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Reload</translation>
    </message>
    <message>
        <source>Reload this page from the server</source>
        <translation>Reload this page from the server</translation>
    </message>
    <message>
        <source>Show what is on the server now (edits not saved are dropped)</source>
        <translation>Show what is on the server now (edits not saved are dropped)</translation>
    </message>
    <message>
        <source>Page status</source>
        <translation>Page status</translation>
    </message>
    <message>
        <source>Loading from the server…</source>
        <translation>Loading from the server…</translation>
    </message>
    <message>
        <source>The server cannot be asked right now.</source>
        <translation>The server cannot be asked right now.</translation>
    </message>
    <message>
        <source>Something went wrong; see the log.</source>
        <translation>Something went wrong; see the log.</translation>
    </message>
    <message>
        <source>Nothing was saved: the server refused the fields marked below.</source>
        <translation>Nothing was saved: the server refused the fields marked below.</translation>
    </message>
</context>
<context>
    <name>Age</name>
    <message>
        <source>now</source>
        <translation>now</translation>
    </message>
    <message numerus="yes">
        <source>in %n min</source>
        <translation>
            <numerusform>in %n min</numerusform>
            <numerusform>in %n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min</source>
        <translation>
            <numerusform>%n min</numerusform>
            <numerusform>%n min</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n h</source>
        <translation>
            <numerusform>in %n h</numerusform>
            <numerusform>in %n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h</source>
        <translation>
            <numerusform>%n h</numerusform>
            <numerusform>%n h</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>in %n day</numerusform>
            <numerusform>in %n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AppMenus</name>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>Settings (Ctrl+,)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <source>Save diagnostics…</source>
        <translation>Save diagnostics…</translation>
    </message>
    <message>
        <source>About Operator</source>
        <translation>About Operator</translation>
    </message>
    <message>
        <source>Save diagnostics</source>
        <translation>Save diagnostics</translation>
    </message>
    <message>
        <source>Zip archives (*.zip)</source>
        <translation>Zip archives (*.zip)</translation>
    </message>
    <message>
        <source>Diagnostics not saved: {reason}</source>
        <translation>Diagnostics not saved: {reason}</translation>
    </message>
    <message>
        <source>Diagnostics saved to {path}</source>
        <translation>Diagnostics saved to {path}</translation>
    </message>
</context>
<context>
    <name>AppShell</name>
    <message>
        <source>No customers yet: sign in (File › Sign in…) or try operator-app --demo</source>
        <translation>No customers yet: sign in (File › Sign in…) or try operator-app --demo</translation>
    </message>
    <message>
        <source>Starting the demo server…</source>
        <translation>Starting the demo server…</translation>
    </message>
    <message>
        <source>operator-app — demo</source>
        <translation>operator-app — demo</translation>
    </message>
</context>
<context>
    <name>AssistPanel</name>
    <message>
        <source>Sign in to a server (File › Sign in…) to record the customer&apos;s answers.</source>
        <translation>Sign in to a server (File › Sign in…) to record the customer&apos;s answers.</translation>
    </message>
    <message>
        <source>open</source>
        <translation>open</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pending</translation>
    </message>
    <message>
        <source>no marketing consent</source>
        <translation>no marketing consent</translation>
    </message>
    <message>
        <source>open complaint</source>
        <translation>open complaint</translation>
    </message>
    <message>
        <source>recent low score</source>
        <translation>recent low score</translation>
    </message>
    <message>
        <source>this contact is a complaint</source>
        <translation>this contact is a complaint</translation>
    </message>
    <message>
        <source>enough offers made in this contact</source>
        <translation>enough offers made in this contact</translation>
    </message>
    <message>
        <source>No offer fits this customer right now.</source>
        <translation>No offer fits this customer right now.</translation>
    </message>
    <message>
        <source>No offers: {reasons}</source>
        <translation>No offers: {reasons}</translation>
    </message>
    <message>
        <source>Open a customer to see what needs attention.</source>
        <translation>Open a customer to see what needs attention.</translation>
    </message>
    <message>
        <source>No topic</source>
        <translation>No topic</translation>
    </message>
    <message>
        <source>assigned to {name}</source>
        <translation>assigned to {name}</translation>
    </message>
    <message>
        <source>unassigned</source>
        <translation>unassigned</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>Offers</translation>
    </message>
    <message>
        <source>At most three offers that fit this customer (Alt+1…3)</source>
        <translation>At most three offers that fit this customer (Alt+1…3)</translation>
    </message>
    <message>
        <source>Why there are no offers</source>
        <translation>Why there are no offers</translation>
    </message>
    <message>
        <source>Offers · {n}</source>
        <translation>Offers · {n}</translation>
    </message>
    <message>
        <source>Assist panel</source>
        <translation>Assist panel</translation>
    </message>
    <message>
        <source>Assist</source>
        <translation>Assist</translation>
    </message>
    <message>
        <source>Assist panel content</source>
        <translation>Assist panel content</translation>
    </message>
    <message>
        <source>Assist panel status</source>
        <translation>Assist panel status</translation>
    </message>
    <message>
        <source>Heads-up</source>
        <translation>Heads-up</translation>
    </message>
    <message>
        <source>Subscriptions, warranties and support ending within 30 days</source>
        <translation>Subscriptions, warranties and support ending within 30 days</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <source>Nothing ends in the next 30 days.</source>
        <translation>Nothing ends in the next 30 days.</translation>
    </message>
    <message>
        <source>Open conversations</source>
        <translation>Open conversations</translation>
    </message>
    <message>
        <source>Open conversations of this customer</source>
        <translation>Open conversations of this customer</translation>
    </message>
    <message>
        <source>No open conversations.</source>
        <translation>No open conversations.</translation>
    </message>
</context>
<context>
    <name>CardFacts</name>
    <message>
        <source>Subscription ends {when}</source>
        <translation>Subscription ends {when}</translation>
    </message>
    <message>
        <source>Warranty ends {when}</source>
        <translation>Warranty ends {when}</translation>
    </message>
    <message>
        <source>Support ends {when}</source>
        <translation>Support ends {when}</translation>
    </message>
    <message>
        <source>Coverage ends {when}</source>
        <translation>Coverage ends {when}</translation>
    </message>
    <message>
        <source>today</source>
        <translation>today</translation>
    </message>
    <message>
        <source>tomorrow</source>
        <translation>tomorrow</translation>
    </message>
    <message numerus="yes">
        <source>in %n day(s)</source>
        <translation>
            <numerusform>in %n day</numerusform>
            <numerusform>in %n days</numerusform>
        </translation>
    </message>
    <message>
        <source>renews automatically</source>
        <translation>renews automatically</translation>
    </message>
    <message numerus="yes">
        <source>Birthday today — turns %n</source>
        <translation>
            <numerusform>Birthday today — turns %n</numerusform>
            <numerusform>Birthday today — turns %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Birthday {when} ({age})</source>
        <translation>Birthday {when} ({age})</translation>
    </message>
    <message>
        <source>Birthday on {date}</source>
        <translation>Birthday on {date}</translation>
    </message>
    <message numerus="yes">
        <source>Customer for %n year(s) (since {year})</source>
        <translation>
            <numerusform>Customer for %n year (since {year})</numerusform>
            <numerusform>Customer for %n years (since {year})</numerusform>
        </translation>
    </message>
    <message>
        <source>New customer this year</source>
        <translation>New customer this year</translation>
    </message>
</context>
<context>
    <name>Channel</name>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Web chat</source>
        <translation>Web chat</translation>
    </message>
    <message>
        <source>WhatsApp</source>
        <translation>WhatsApp</translation>
    </message>
    <message>
        <source>Telegram</source>
        <translation>Telegram</translation>
    </message>
    <message>
        <source>VK</source>
        <translation>VK</translation>
    </message>
    <message>
        <source>Instagram</source>
        <translation>Instagram</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>In person / other</source>
        <translation>In person / other</translation>
    </message>
</context>
<context>
    <name>ChannelPicker</name>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Web chat</source>
        <translation>Web chat</translation>
    </message>
    <message>
        <source>VK</source>
        <translation>VK</translation>
    </message>
    <message>
        <source>SMS</source>
        <translation>SMS</translation>
    </message>
    <message>
        <source>In person and other</source>
        <translation>In person and other</translation>
    </message>
    <message>
        <source>Tick the channels; none ticked: all channels</source>
        <translation>Tick the channels; none ticked: all channels</translation>
    </message>
    <message>
        <source>All channels</source>
        <translation>All channels</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Write</source>
        <translation>Write</translation>
    </message>
    <message>
        <source>Note or reply to</source>
        <translation>Note or reply to</translation>
    </message>
    <message>
        <source>A note for colleagues, or a reply in a conversation</source>
        <translation>A note for colleagues, or a reply in a conversation</translation>
    </message>
    <message>
        <source>Note or reply text</source>
        <translation>Note or reply text</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Save the note or reply (Ctrl+Enter)</source>
        <translation>Save the note or reply (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Follow up on</source>
        <translation>Follow up on</translation>
    </message>
    <message>
        <source>Follow up on a date</source>
        <translation>Follow up on a date</translation>
    </message>
    <message>
        <source>Next follow-up date</source>
        <translation>Next follow-up date</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <source>Mark the conversation resolved (Ctrl+Shift+R)</source>
        <translation>Mark the conversation resolved (Ctrl+Shift+R)</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Waiting for the customer (Ctrl+Shift+P)</source>
        <translation>Waiting for the customer (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>Reopen</source>
        <translation>Reopen</translation>
    </message>
    <message>
        <source>Reopen the conversation resolved last (Ctrl+Shift+O)</source>
        <translation>Reopen the conversation resolved last (Ctrl+Shift+O)</translation>
    </message>
    <message>
        <source>Internal note</source>
        <translation>Internal note</translation>
    </message>
    <message>
        <source>Reply: {topic}</source>
        <translation>Reply: {topic}</translation>
    </message>
    <message>
        <source>No topic</source>
        <translation>No topic</translation>
    </message>
    <message>
        <source>Type a reply to the customer… (Ctrl+Enter sends)</source>
        <translation>Type a reply to the customer… (Ctrl+Enter sends)</translation>
    </message>
    <message>
        <source>Type a note for colleagues… (Ctrl+Enter sends)</source>
        <translation>Type a note for colleagues… (Ctrl+Enter sends)</translation>
    </message>
</context>
<context>
    <name>Coverage</name>
    <message>
        <source>Subscription</source>
        <translation>Subscription</translation>
    </message>
    <message>
        <source>Warranty</source>
        <translation>Warranty</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>Support</translation>
    </message>
</context>
<context>
    <name>CustomerCard</name>
    <message>
        <source>No phone or e-mail on file</source>
        <translation>No phone or e-mail on file</translation>
    </message>
    <message>
        <source>Came via {channel}</source>
        <translation>Came via {channel}</translation>
    </message>
    <message>
        <source>Local time {time}</source>
        <translation>Local time {time}</translation>
    </message>
    <message>
        <source>Time zone: {zone}</source>
        <translation>Time zone: {zone}</translation>
    </message>
    <message>
        <source>marketing allowed</source>
        <translation>marketing allowed</translation>
    </message>
    <message>
        <source>no marketing</source>
        <translation>no marketing</translation>
    </message>
    <message>
        <source>Contact consent: {channels}  ·  {marketing}</source>
        <translation>Contact consent: {channels}  ·  {marketing}</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Milestone</source>
        <translation>Milestone</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>More tags</source>
        <translation>More tags</translation>
    </message>
    <message>
        <source>Recent purchases</source>
        <translation>Recent purchases</translation>
    </message>
    <message>
        <source>{shown} of {total}</source>
        <translation>{shown} of {total}</translation>
    </message>
    <message>
        <source>No orders yet</source>
        <translation>No orders yet</translation>
    </message>
    <message>
        <source>ends {when}</source>
        <translation>ends {when}</translation>
    </message>
    <message>
        <source>Nothing active</source>
        <translation>Nothing active</translation>
    </message>
    <message>
        <source>Nothing left unfinished</source>
        <translation>Nothing left unfinished</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>No contacts yet</source>
        <translation>No contacts yet</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) · newest first</source>
        <translation>
            <numerusform>%n item · newest first</numerusform>
            <numerusform>%n items · newest first</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n+ item(s) · newest first</source>
        <translation>
            <numerusform>%n+ item · newest first</numerusform>
            <numerusform>%n+ items · newest first</numerusform>
        </translation>
    </message>
    <message>
        <source>Customer card</source>
        <translation>Customer card</translation>
    </message>
    <message>
        <source>Customer initials</source>
        <translation>Customer initials</translation>
    </message>
    <message>
        <source>Customer name</source>
        <translation>Customer name</translation>
    </message>
    <message>
        <source>Tier</source>
        <translation>Tier</translation>
    </message>
    <message>
        <source>Loyalty tier</source>
        <translation>Loyalty tier</translation>
    </message>
    <message>
        <source>Phones and e-mails</source>
        <translation>Phones and e-mails</translation>
    </message>
    <message>
        <source>Origin, language and local time</source>
        <translation>Origin, language and local time</translation>
    </message>
    <message>
        <source>Consent</source>
        <translation>Consent</translation>
    </message>
    <message>
        <source>Channels the customer agreed to be contacted on</source>
        <translation>Channels the customer agreed to be contacted on</translation>
    </message>
    <message>
        <source>Segment, milestones and tags</source>
        <translation>Segment, milestones and tags</translation>
    </message>
    <message>
        <source>Value segment</source>
        <translation>Value segment</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Segment</translation>
    </message>
    <message>
        <source>Customer segment</source>
        <translation>Customer segment</translation>
    </message>
    <message>
        <source>Customer value</source>
        <translation>Customer value</translation>
    </message>
    <message>
        <source>Paid orders minus refunds</source>
        <translation>Paid orders minus refunds</translation>
    </message>
    <message>
        <source>Historical CLV</source>
        <translation>Historical CLV</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>Predicted CLV, 12 months</source>
        <translation>Predicted CLV, 12 months</translation>
    </message>
    <message>
        <source>Predicted CLV</source>
        <translation>Predicted CLV</translation>
    </message>
    <message>
        <source>Likely still active</source>
        <translation>Likely still active</translation>
    </message>
    <message>
        <source>Most recent survey answers</source>
        <translation>Most recent survey answers</translation>
    </message>
    <message>
        <source>Last CSAT / NPS</source>
        <translation>Last CSAT / NPS</translation>
    </message>
    <message>
        <source>Complaints not resolved yet</source>
        <translation>Complaints not resolved yet</translation>
    </message>
    <message>
        <source>Open complaints</source>
        <translation>Open complaints</translation>
    </message>
    <message>
        <source>Purchases and coverage</source>
        <translation>Purchases and coverage</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Ending within 30 days is highlighted</source>
        <translation>Ending within 30 days is highlighted</translation>
    </message>
    <message>
        <source>Subscriptions and warranties</source>
        <translation>Subscriptions and warranties</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Product</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>Ends</source>
        <translation>Ends</translation>
    </message>
    <message>
        <source>Products left in a cart or abandoned at checkout</source>
        <translation>Products left in a cart or abandoned at checkout</translation>
    </message>
    <message>
        <source>Unfinished purchases</source>
        <translation>Unfinished purchases</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stage</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Timeline status</source>
        <translation>Timeline status</translation>
    </message>
    <message>
        <source>Every contact, newest first (Ctrl+T). PageDown scrolls; older items load as you go.</source>
        <translation>Every contact, newest first (Ctrl+T). PageDown scrolls; older items load as you go.</translation>
    </message>
</context>
<context>
    <name>Dashboards</name>
    <message>
        <source>Dashboards</source>
        <translation>Dashboards</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Period</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Last 7 days</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Last 30 days</translation>
    </message>
    <message>
        <source>Last 90 days</source>
        <translation>Last 90 days</translation>
    </message>
    <message>
        <source>Points over time</source>
        <translation>Points over time</translation>
    </message>
    <message>
        <source>By day</source>
        <translation>By day</translation>
    </message>
    <message>
        <source>By week</source>
        <translation>By week</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Compare</translation>
    </message>
    <message>
        <source>Per operator</source>
        <translation>Per operator</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>Per channel</translation>
    </message>
    <message>
        <source>Loading figures</source>
        <translation>Loading figures</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Refresh the figures</source>
        <translation>Refresh the figures</translation>
    </message>
    <message>
        <source>Load the figures again (Alt+R)</source>
        <translation>Load the figures again (Alt+R)</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>&amp;Export CSV…</translation>
    </message>
    <message>
        <source>Export the figures as CSV</source>
        <translation>Export the figures as CSV</translation>
    </message>
    <message>
        <source>Save the figures shown as a CSV file (Alt+E)</source>
        <translation>Save the figures shown as a CSV file (Alt+E)</translation>
    </message>
    <message>
        <source>Dashboards status</source>
        <translation>Dashboards status</translation>
    </message>
    <message>
        <source>CSAT</source>
        <translation>CSAT</translation>
    </message>
    <message>
        <source>Share of answers 4–5 on 1–5</source>
        <translation>Share of answers 4–5 on 1–5</translation>
    </message>
    <message>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
    <message>
        <source>% promoters (9–10) − % detractors (0–6)</source>
        <translation>% promoters (9–10) − % detractors (0–6)</translation>
    </message>
    <message>
        <source>CES</source>
        <translation>CES</translation>
    </message>
    <message>
        <source>Mean on 1–7, 7 = very easy</source>
        <translation>Mean on 1–7, 7 = very easy</translation>
    </message>
    <message>
        <source>Low scores</source>
        <translation>Low scores</translation>
    </message>
    <message>
        <source>Answers at or below the low-score thresholds</source>
        <translation>Answers at or below the low-score thresholds</translation>
    </message>
    <message>
        <source>Median time to resolve</source>
        <translation>Median time to resolve</translation>
    </message>
    <message>
        <source>Review cases resolved in the period: median time from opening</source>
        <translation>Review cases resolved in the period: median time from opening</translation>
    </message>
    <message>
        <source>First response within SLA</source>
        <translation>First response within SLA</translation>
    </message>
    <message>
        <source>Conversations answered within their channel&apos;s SLA</source>
        <translation>Conversations answered within their channel&apos;s SLA</translation>
    </message>
    <message>
        <source>FCR</source>
        <translation>FCR</translation>
    </message>
    <message>
        <source>Resolved with no new contact within the policy&apos;s window</source>
        <translation>Resolved with no new contact within the policy&apos;s window</translation>
    </message>
    <message>
        <source>Offer acceptance</source>
        <translation>Offer acceptance</translation>
    </message>
    <message>
        <source>Accepted / answered offers</source>
        <translation>Accepted / answered offers</translation>
    </message>
    <message>
        <source>CSAT over time</source>
        <translation>CSAT over time</translation>
    </message>
    <message>
        <source>Share of satisfied answers (4–5 of 5)</source>
        <translation>Share of satisfied answers (4–5 of 5)</translation>
    </message>
    <message>
        <source>NPS over time</source>
        <translation>NPS over time</translation>
    </message>
    <message>
        <source>Promoters minus detractors, −100 to 100</source>
        <translation>Promoters minus detractors, −100 to 100</translation>
    </message>
    <message>
        <source>CES over time</source>
        <translation>CES over time</translation>
    </message>
    <message>
        <source>Mean effort score, 7 = very easy</source>
        <translation>Mean effort score, 7 = very easy</translation>
    </message>
    <message>
        <source>First-contact resolution over time</source>
        <translation>First-contact resolution over time</translation>
    </message>
    <message>
        <source>Resolved conversations the customer did not come back about</source>
        <translation>Resolved conversations the customer did not come back about</translation>
    </message>
    <message>
        <source>Low scores and review cases</source>
        <translation>Low scores and review cases</translation>
    </message>
    <message>
        <source>Low scores received and review cases resolved</source>
        <translation>Low scores received and review cases resolved</translation>
    </message>
    <message>
        <source>First response within SLA per channel</source>
        <translation>First response within SLA per channel</translation>
    </message>
    <message>
        <source>Each channel against its own SLA (admin policy)</source>
        <translation>Each channel against its own SLA (admin policy)</translation>
    </message>
    <message>
        <source>CSAT and FCR per operator</source>
        <translation>CSAT and FCR per operator</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <source>Sign in to a server to see the dashboards.</source>
        <translation>Sign in to a server to see the dashboards.</translation>
    </message>
    <message>
        <source>Dashboards are for supervisors and admins; the server refused them to your account.</source>
        <translation>Dashboards are for supervisors and admins; the server refused them to your account.</translation>
    </message>
    <message>
        <source>The figures could not be loaded: {error}</source>
        <translation>The figures could not be loaded: {error}</translation>
    </message>
    <message>
        <source>The figures could not be shown; see the log.</source>
        <translation>The figures could not be shown; see the log.</translation>
    </message>
    <message>
        <source>Loading figures…</source>
        <translation>Loading figures…</translation>
    </message>
    <message>
        <source>Within SLA, %</source>
        <translation>Within SLA, %</translation>
    </message>
    <message>
        <source>% within SLA</source>
        <translation>% within SLA</translation>
    </message>
    <message>
        <source>No conversations opened in this period.</source>
        <translation>No conversations opened in this period.</translation>
    </message>
    <message>
        <source>CSAT and FCR per channel</source>
        <translation>CSAT and FCR per channel</translation>
    </message>
    <message>
        <source>CSAT, %</source>
        <translation>CSAT, %</translation>
    </message>
    <message>
        <source>FCR, %</source>
        <translation>FCR, %</translation>
    </message>
    <message>
        <source>%</source>
        <translation>%</translation>
    </message>
    <message>
        <source>No answers or resolved conversations in this period.</source>
        <translation>No answers or resolved conversations in this period.</translation>
    </message>
    <message>
        <source>{first} – {last} (UTC): {answers}, {conversations}</source>
        <translation>{first} – {last} (UTC): {answers}, {conversations}</translation>
    </message>
    <message numerus="yes">
        <source>%n survey answer(s)</source>
        <translation>
            <numerusform>%n survey answer</numerusform>
            <numerusform>%n survey answers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n conversation(s)</source>
        <translation>
            <numerusform>%n conversation</numerusform>
            <numerusform>%n conversations</numerusform>
        </translation>
    </message>
    <message>
        <source>No survey answers in this period.</source>
        <translation>No survey answers in this period.</translation>
    </message>
    <message>
        <source>1–7</source>
        <translation>1–7</translation>
    </message>
    <message>
        <source>No conversations resolved in this period.</source>
        <translation>No conversations resolved in this period.</translation>
    </message>
    <message>
        <source>No low scores in this period.</source>
        <translation>No low scores in this period.</translation>
    </message>
    <message>
        <source>Review cases resolved</source>
        <translation>Review cases resolved</translation>
    </message>
    <message>
        <source>count</source>
        <translation>count</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <source>{channel} (SLA {sla})</source>
        <translation>{channel} (SLA {sla})</translation>
    </message>
    <message>
        <source>Export dashboards as CSV</source>
        <translation>Export dashboards as CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV files (*.csv)</translation>
    </message>
    <message>
        <source>The CSV could not be saved to {path}: {error}</source>
        <translation>The CSV could not be saved to {path}: {error}</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n row(s) to {path}.</source>
        <translation>
            <numerusform>Saved %n row to {path}.</numerusform>
            <numerusform>Saved %n rows to {path}.</numerusform>
        </translation>
    </message>
    <message>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
    <message>
        <source>{days} d</source>
        <translation>{days} d</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
    <message>
        <source>Unassigned</source>
        <translation>Unassigned</translation>
    </message>
    <message>
        <source>Figures per operator or channel</source>
        <translation>Figures per operator or channel</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Answers</source>
        <translation>Answers</translation>
    </message>
    <message>
        <source>Cases resolved</source>
        <translation>Cases resolved</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Nothing to compare in this period.</source>
        <translation>Nothing to compare in this period.</translation>
    </message>
    <message>
        <source>Acceptance = accepted ÷ (accepted + declined + not now); offers only shown are counted but not rated.</source>
        <translation>Acceptance = accepted ÷ (accepted + declined + not now); offers only shown are counted but not rated.</translation>
    </message>
    <message>
        <source>Offer acceptance by</source>
        <translation>Offer acceptance by</translation>
    </message>
    <message>
        <source>By rule</source>
        <translation>By rule</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>By operator</source>
        <translation>By operator</translation>
    </message>
    <message>
        <source>By segment</source>
        <translation>By segment</translation>
    </message>
    <message>
        <source>Segment</source>
        <translation>Segment</translation>
    </message>
    <message>
        <source>Offer acceptance {by}</source>
        <translation>Offer acceptance {by}</translation>
    </message>
    <message>
        <source>Offers</source>
        <translation>Offers</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Declined</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Not now</translation>
    </message>
    <message>
        <source>Acceptance</source>
        <translation>Acceptance</translation>
    </message>
    <message>
        <source>No offers were made in this period.</source>
        <translation>No offers were made in this period.</translation>
    </message>
</context>
<context>
    <name>DbWorker</name>
    <message>
        <source>Could not read the local cache: {reason}</source>
        <translation>Could not read the local cache: {reason}</translation>
    </message>
</context>
<context>
    <name>DemoServer</name>
    <message>
        <source>Demo without a server: install operator-app[server] to sync with a live demo server.</source>
        <translation>Demo without a server: install operator-app[server] to sync with a live demo server.</translation>
    </message>
</context>
<context>
    <name>Desktop</name>
    <message>
        <source>Show &amp;logs</source>
        <translation>Show &amp;logs</translation>
    </message>
    <message>
        <source>Show the app&apos;s log (Ctrl+Shift+F12)</source>
        <translation>Show the app&apos;s log (Ctrl+Shift+F12)</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <source>Find a customer</source>
        <translation>Find a customer</translation>
    </message>
    <message>
        <source>Walk the results</source>
        <translation>Walk the results</translation>
    </message>
    <message>
        <source>Open the card</source>
        <translation>Open the card</translation>
    </message>
    <message>
        <source>Back to search</source>
        <translation>Back to search</translation>
    </message>
    <message>
        <source>Left, centre, right panel</source>
        <translation>Left, centre, right panel</translation>
    </message>
    <message>
        <source>Next panel</source>
        <translation>Next panel</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Keyboard shortcuts</translation>
    </message>
    <message>
        <source>Who is calling?</source>
        <translation>Who is calling?</translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) share {number}. Pick one on the left: ↑ ↓ and Enter.</source>
        <translation>
            <numerusform>%n customer share {number}. Pick one on the left: ↑ ↓ and Enter.</numerusform>
            <numerusform>%n customers share {number}. Pick one on the left: ↑ ↓ and Enter.</numerusform>
        </translation>
    </message>
    <message>
        <source>No customer open</source>
        <translation>No customer open</translation>
    </message>
    <message>
        <source>Type a name, a phone number in any format, an e-mail, an order or contract number.</source>
        <translation>Type a name, a phone number in any format, an e-mail, an order or contract number.</translation>
    </message>
</context>
<context>
    <name>Interest</name>
    <message>
        <source>Viewed</source>
        <translation>Viewed</translation>
    </message>
    <message>
        <source>In cart</source>
        <translation>In cart</translation>
    </message>
    <message>
        <source>Abandoned at checkout</source>
        <translation>Abandoned at checkout</translation>
    </message>
    <message>
        <source>Bought</source>
        <translation>Bought</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Lost</translation>
    </message>
</context>
<context>
    <name>Language</name>
    <message>
        <source>Russian</source>
        <translation>Russian</translation>
    </message>
    <message>
        <source>English</source>
        <translation>English</translation>
    </message>
    <message>
        <source>Kazakh</source>
        <translation>Kazakh</translation>
    </message>
    <message>
        <source>Ukrainian</source>
        <translation>Ukrainian</translation>
    </message>
</context>
<context>
    <name>LiveSettings</name>
    <message>
        <source>{keys} is already used by “{owner}”; “{action}” keeps its old shortcut.</source>
        <translation>{keys} is already used by “{owner}”; “{action}” keeps its old shortcut.</translation>
    </message>
    <message>
        <source>{action} ({keys})</source>
        <translation>{action} ({keys})</translation>
    </message>
    <message>
        <source>Start automatically could not be changed: {error}</source>
        <translation>Start automatically could not be changed: {error}</translation>
    </message>
</context>
<context>
    <name>LogViewer</name>
    <message>
        <source>Operator — log</source>
        <translation>Operator — log</translation>
    </message>
    <message>
        <source>Log viewer</source>
        <translation>Log viewer</translation>
    </message>
    <message>
        <source>All messages</source>
        <translation>All messages</translation>
    </message>
    <message>
        <source>Information and above</source>
        <translation>Information and above</translation>
    </message>
    <message>
        <source>Warnings and errors</source>
        <translation>Warnings and errors</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Errors only</translation>
    </message>
    <message>
        <source>Show messages of level</source>
        <translation>Show messages of level</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Show:</translation>
    </message>
    <message>
        <source>Filter by text (Ctrl+F)</source>
        <translation>Filter by text (Ctrl+F)</translation>
    </message>
    <message>
        <source>Filter by text</source>
        <translation>Filter by text</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>&amp;Reload</translation>
    </message>
    <message>
        <source>Read the log file again (F5)</source>
        <translation>Read the log file again (F5)</translation>
    </message>
    <message>
        <source>Reload the log</source>
        <translation>Reload the log</translation>
    </message>
    <message>
        <source>Log messages</source>
        <translation>Log messages</translation>
    </message>
    <message>
        <source>About the log file</source>
        <translation>About the log file</translation>
    </message>
    <message>
        <source>Open log &amp;folder</source>
        <translation>Open log &amp;folder</translation>
    </message>
    <message>
        <source>Open log folder</source>
        <translation>Open log folder</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copy</translation>
    </message>
    <message>
        <source>Copy the selected lines, or everything shown</source>
        <translation>Copy the selected lines, or everything shown</translation>
    </message>
    <message>
        <source>Copy log text</source>
        <translation>Copy log text</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>Close (Esc)</translation>
    </message>
    <message>
        <source>Close the log viewer</source>
        <translation>Close the log viewer</translation>
    </message>
    <message>
        <source>The log cannot be read: {error}</source>
        <translation>The log cannot be read: {error}</translation>
    </message>
    <message>
        <source>No log yet in {folder}</source>
        <translation>No log yet in {folder}</translation>
    </message>
    <message>
        <source>The last {kb} KB of {file}</source>
        <translation>The last {kb} KB of {file}</translation>
    </message>
    <message>
        <source>No messages match.</source>
        <translation>No messages match.</translation>
    </message>
    <message>
        <source>The log is empty.</source>
        <translation>The log is empty.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>“{text}” is not a phone number</source>
        <translation>“{text}” is not a phone number</translation>
    </message>
    <message>
        <source>That customer is not in the local cache</source>
        <translation>That customer is not in the local cache</translation>
    </message>
    <message>
        <source>Pending changes: {count}</source>
        <translation>Pending changes: {count}</translation>
    </message>
    <message>
        <source>Local changes waiting to be sent to the server</source>
        <translation>Local changes waiting to be sent to the server</translation>
    </message>
    <message>
        <source>Everything you changed has reached the server</source>
        <translation>Everything you changed has reached the server</translation>
    </message>
    <message>
        <source>never</source>
        <translation>never</translation>
    </message>
    <message>
        <source>Last sync: {time}</source>
        <translation>Last sync: {time}</translation>
    </message>
    <message>
        <source>Save the customer (sent to the server when online)</source>
        <translation>Save the customer (sent to the server when online)</translation>
    </message>
    <message>
        <source>Operator (demo)</source>
        <translation>Operator (demo)</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Connection to the server</source>
        <translation>Connection to the server</translation>
    </message>
    <message>
        <source>Signed-in user and role</source>
        <translation>Signed-in user and role</translation>
    </message>
    <message>
        <source>Connection state</source>
        <translation>Connection state</translation>
    </message>
    <message>
        <source>Pending local changes</source>
        <translation>Pending local changes</translation>
    </message>
    <message>
        <source>Last sync time</source>
        <translation>Last sync time</translation>
    </message>
    <message>
        <source>Worklist and search</source>
        <translation>Worklist and search</translation>
    </message>
    <message>
        <source>Customer card</source>
        <translation>Customer card</translation>
    </message>
    <message>
        <source>Assist panel</source>
        <translation>Assist panel</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>&amp;Theme</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>&amp;Go</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Reload the worklists and the open card (F5)</source>
        <translation>Reload the worklists and the open card (F5)</translation>
    </message>
    <message>
        <source>F5</source>
        <translation>F5</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Ctrl+Q</source>
        <translation>Ctrl+Q</translation>
    </message>
    <message>
        <source>&amp;Find customer</source>
        <translation>&amp;Find customer</translation>
    </message>
    <message>
        <source>Search by name, phone, e-mail, order or contract number (Ctrl+F, F3)</source>
        <translation>Search by name, phone, e-mail, order or contract number (Ctrl+F, F3)</translation>
    </message>
    <message>
        <source>Ctrl+F</source>
        <translation>Ctrl+F</translation>
    </message>
    <message>
        <source>&amp;Worklist and search</source>
        <translation>&amp;Worklist and search</translation>
    </message>
    <message>
        <source>Move to the left panel (Ctrl+1)</source>
        <translation>Move to the left panel (Ctrl+1)</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Customer card</source>
        <translation>&amp;Customer card</translation>
    </message>
    <message>
        <source>Move to the customer card (Ctrl+2)</source>
        <translation>Move to the customer card (Ctrl+2)</translation>
    </message>
    <message>
        <source>Ctrl+2</source>
        <translation>Ctrl+2</translation>
    </message>
    <message>
        <source>&amp;Assist panel</source>
        <translation>&amp;Assist panel</translation>
    </message>
    <message>
        <source>Move to the assist panel (Ctrl+3)</source>
        <translation>Move to the assist panel (Ctrl+3)</translation>
    </message>
    <message>
        <source>Ctrl+3</source>
        <translation>Ctrl+3</translation>
    </message>
    <message>
        <source>&amp;Next panel</source>
        <translation>&amp;Next panel</translation>
    </message>
    <message>
        <source>Cycle left → centre → right (Ctrl+L, F6)</source>
        <translation>Cycle left → centre → right (Ctrl+L, F6)</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>&amp;Light</source>
        <translation>&amp;Light</translation>
    </message>
    <message>
        <source>&amp;Dark</source>
        <translation>&amp;Dark</translation>
    </message>
    <message>
        <source>Follow &amp;system</source>
        <translation>Follow &amp;system</translation>
    </message>
    <message>
        <source>&amp;Back to search</source>
        <translation>&amp;Back to search</translation>
    </message>
    <message>
        <source>Return to the search box (Alt+Left, Esc)</source>
        <translation>Return to the search box (Alt+Left, Esc)</translation>
    </message>
    <message>
        <source>Alt+Left</source>
        <translation>Alt+Left</translation>
    </message>
    <message>
        <source>&amp;Timeline</source>
        <translation>&amp;Timeline</translation>
    </message>
    <message>
        <source>Move to the customer&apos;s timeline (Ctrl+T)</source>
        <translation>Move to the customer&apos;s timeline (Ctrl+T)</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>&amp;My open contacts</source>
        <translation>&amp;My open contacts</translation>
    </message>
    <message>
        <source>Ctrl+Shift+1</source>
        <translation>Ctrl+Shift+1</translation>
    </message>
    <message>
        <source>&amp;Follow-ups due today</source>
        <translation>&amp;Follow-ups due today</translation>
    </message>
    <message>
        <source>Ctrl+Shift+2</source>
        <translation>Ctrl+Shift+2</translation>
    </message>
    <message>
        <source>&amp;Waiting for our reply</source>
        <translation>&amp;Waiting for our reply</translation>
    </message>
    <message>
        <source>Ctrl+Shift+3</source>
        <translation>Ctrl+Shift+3</translation>
    </message>
</context>
<context>
    <name>Moment</name>
    <message>
        <source>Yesterday {time}</source>
        <translation>Yesterday {time}</translation>
    </message>
</context>
<context>
    <name>NewCustomerForm</name>
    <message>
        <source>Available when connected to a server</source>
        <translation>Available when connected to a server</translation>
    </message>
    <message>
        <source>Enter the caller&apos;s last or first name.</source>
        <translation>Enter the caller&apos;s last or first name.</translation>
    </message>
    <message>
        <source>Enter a valid phone number.</source>
        <translation>Enter a valid phone number.</translation>
    </message>
    <message>
        <source>New customer</source>
        <translation>New customer</translation>
    </message>
    <message>
        <source>Fill in what the caller tells you. Fields can be completed later.</source>
        <translation>Fill in what the caller tells you. Fields can be completed later.</translation>
    </message>
    <message>
        <source>&amp;Last name</source>
        <translation>&amp;Last name</translation>
    </message>
    <message>
        <source>Last name</source>
        <translation>Last name</translation>
    </message>
    <message>
        <source>&amp;First name</source>
        <translation>&amp;First name</translation>
    </message>
    <message>
        <source>First name</source>
        <translation>First name</translation>
    </message>
    <message>
        <source>&amp;Middle name</source>
        <translation>&amp;Middle name</translation>
    </message>
    <message>
        <source>Middle name</source>
        <translation>Middle name</translation>
    </message>
    <message>
        <source>optional</source>
        <translation>optional</translation>
    </message>
    <message>
        <source>&amp;Phone</source>
        <translation>&amp;Phone</translation>
    </message>
    <message>
        <source>Phone</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>&amp;E-mail</source>
        <translation>&amp;E-mail</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Cancel new customer</source>
        <translation>Cancel new customer</translation>
    </message>
    <message>
        <source>Back to the caller&apos;s number (Esc)</source>
        <translation>Back to the caller&apos;s number (Esc)</translation>
    </message>
    <message>
        <source>Save customer</source>
        <translation>Save customer</translation>
    </message>
</context>
<context>
    <name>OfferCard</name>
    <message>
        <source>Too expensive</source>
        <translation>Too expensive</translation>
    </message>
    <message>
        <source>Not interested</source>
        <translation>Not interested</translation>
    </message>
    <message>
        <source>Already has it or a similar one</source>
        <translation>Already has it or a similar one</translation>
    </message>
    <message>
        <source>Not the right moment</source>
        <translation>Not the right moment</translation>
    </message>
    <message>
        <source>Other (say why)</source>
        <translation>Other (say why)</translation>
    </message>
    <message>
        <source>What you can say to the customer</source>
        <translation>What you can say to the customer</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Accept</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Not now</translation>
    </message>
    <message>
        <source>Decline…</source>
        <translation>Decline…</translation>
    </message>
    <message>
        <source>Why did the customer decline?</source>
        <translation>Why did the customer decline?</translation>
    </message>
    <message>
        <source>Decline reason</source>
        <translation>Decline reason</translation>
    </message>
    <message>
        <source>Details (optional)</source>
        <translation>Details (optional)</translation>
    </message>
    <message>
        <source>Decline details</source>
        <translation>Decline details</translation>
    </message>
    <message>
        <source>Decline offer</source>
        <translation>Decline offer</translation>
    </message>
    <message>
        <source>Record the decline (Enter)</source>
        <translation>Record the decline (Enter)</translation>
    </message>
    <message>
        <source>Confirm decline</source>
        <translation>Confirm decline</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Keep the offer (Esc)</source>
        <translation>Keep the offer (Esc)</translation>
    </message>
    <message>
        <source>Cancel decline</source>
        <translation>Cancel decline</translation>
    </message>
    <message>
        <source>Alt+{n} focuses this offer</source>
        <translation>Alt+{n} focuses this offer</translation>
    </message>
    <message>
        <source>The customer accepts: a lead goes to sales (A)</source>
        <translation>The customer accepts: a lead goes to sales (A)</translation>
    </message>
    <message>
        <source>Ask again another time (N)</source>
        <translation>Ask again another time (N)</translation>
    </message>
    <message>
        <source>The customer declines; say why (D)</source>
        <translation>The customer declines; say why (D)</translation>
    </message>
    <message>
        <source>“{phrase}”</source>
        <translation>“{phrase}”</translation>
    </message>
    <message>
        <source>≈ {amount}</source>
        <translation>≈ {amount}</translation>
    </message>
    <message>
        <source>Expected value: the margin of a sale times the chance the customer says yes ({chance}, learned from how customers like this one answered such offers).</source>
        <translation>Expected value: the margin of a sale times the chance the customer says yes ({chance}, learned from how customers like this one answered such offers).</translation>
    </message>
    <message>
        <source>Offer {n}: {title}</source>
        <translation>Offer {n}: {title}</translation>
    </message>
    <message>
        <source>Accept offer {n}</source>
        <translation>Accept offer {n}</translation>
    </message>
    <message>
        <source>Not now, offer {n}</source>
        <translation>Not now, offer {n}</translation>
    </message>
    <message>
        <source>Decline offer {n}</source>
        <translation>Decline offer {n}</translation>
    </message>
    <message>
        <source>A: accept · N: not now · D: decline · Alt+{n}: this offer</source>
        <translation>A: accept · N: not now · D: decline · Alt+{n}: this offer</translation>
    </message>
    <message>
        <source>Choose why the customer declined.</source>
        <translation>Choose why the customer declined.</translation>
    </message>
    <message>
        <source>Say in a few words why.</source>
        <translation>Say in a few words why.</translation>
    </message>
</context>
<context>
    <name>OrderStatus</name>
    <message>
        <source>Paid</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <source>Refunded</source>
        <translation>Refunded</translation>
    </message>
</context>
<context>
    <name>PolicyPages</name>
    <message>
        <source>CSAT — satisfaction, 1–5</source>
        <translation>CSAT — satisfaction, 1–5</translation>
    </message>
    <message>
        <source>NPS — would recommend, 0–10</source>
        <translation>NPS — would recommend, 0–10</translation>
    </message>
    <message>
        <source>CES — effort, 1–7</source>
        <translation>CES — effort, 1–7</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>seconds</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>hours</source>
        <translation>hours</translation>
    </message>
    <message>
        <source>Save to server</source>
        <translation>Save to server</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the marked fields.</source>
        <translation>Nothing was saved: correct the marked fields.</translation>
    </message>
    <message>
        <source>Saved on the server (version {version}).</source>
        <translation>Saved on the server (version {version}).</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Save the SLAs to the server</source>
        <translation>Save the SLAs to the server</translation>
    </message>
    <message>
        <source>First reply time for {channel}</source>
        <translation>First reply time for {channel}</translation>
    </message>
    <message>
        <source>Unit for {channel}</source>
        <translation>Unit for {channel}</translation>
    </message>
    <message>
        <source>Problem with the time for {channel}</source>
        <translation>Problem with the time for {channel}</translation>
    </message>
    <message>
        <source>Channel SLAs</source>
        <translation>Channel SLAs</translation>
    </message>
    <message>
        <source>How soon a customer must get the first reply on each channel. Conversations waiting longer appear under “Waiting for our reply” and count against the team&apos;s first-response figures.</source>
        <translation>How soon a customer must get the first reply on each channel. Conversations waiting longer appear under “Waiting for our reply” and count against the team&apos;s first-response figures.</translation>
    </message>
    <message>
        <source>Enter a time.</source>
        <translation>Enter a time.</translation>
    </message>
    <message>
        <source>Enter a whole number, such as 30.</source>
        <translation>Enter a whole number, such as 30.</translation>
    </message>
    <message>
        <source>Save the survey policy</source>
        <translation>Save the survey policy</translation>
    </message>
    <message>
        <source> days</source>
        <translation> days</translation>
    </message>
    <message>
        <source>Days between surveys</source>
        <translation>Days between surveys</translation>
    </message>
    <message>
        <source>Ask a customer at most once in</source>
        <translation>Ask a customer at most once in</translation>
    </message>
    <message>
        <source>Do not send between</source>
        <translation>Do not send between</translation>
    </message>
    <message>
        <source>Quiet hours on</source>
        <translation>Quiet hours on</translation>
    </message>
    <message>
        <source>Quiet hours start</source>
        <translation>Quiet hours start</translation>
    </message>
    <message>
        <source>Quiet hours end</source>
        <translation>Quiet hours end</translation>
    </message>
    <message>
        <source>and</source>
        <translation>and</translation>
    </message>
    <message>
        <source>(customer&apos;s local time)</source>
        <translation>(customer&apos;s local time)</translation>
    </message>
    <message>
        <source>Quiet hours</source>
        <translation>Quiet hours</translation>
    </message>
    <message>
        <source>Surveys in {language}</source>
        <translation>Surveys in {language}</translation>
    </message>
    <message>
        <source>Default survey language</source>
        <translation>Default survey language</translation>
    </message>
    <message>
        <source>otherwise</source>
        <translation>otherwise</translation>
    </message>
    <message>
        <source>Languages</source>
        <translation>Languages</translation>
    </message>
    <message>
        <source>Survey link valid for</source>
        <translation>Survey link valid for</translation>
    </message>
    <message>
        <source>Survey link works for</source>
        <translation>Survey link works for</translation>
    </message>
    <message>
        <source> h</source>
        <translation> h</translation>
    </message>
    <message>
        <source>No reminder</source>
        <translation>No reminder</translation>
    </message>
    <message>
        <source>Reminder after hours</source>
        <translation>Reminder after hours</translation>
    </message>
    <message>
        <source>Remind after</source>
        <translation>Remind after</translation>
    </message>
    <message>
        <source>Low {kind} score at or below</source>
        <translation>Low {kind} score at or below</translation>
    </message>
    <message>
        <source>Review case when score ≤</source>
        <translation>Review case when score ≤</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Compensation limit for {role}</source>
        <translation>Compensation limit for {role}</translation>
    </message>
    <message>
        <source>Compensation up to</source>
        <translation>Compensation up to</translation>
    </message>
    <message>
        <source>First-contact resolution window</source>
        <translation>First-contact resolution window</translation>
    </message>
    <message>
        <source>Resolved at first contact if no new contact in</source>
        <translation>Resolved at first contact if no new contact in</translation>
    </message>
    <message>
        <source>Survey policy</source>
        <translation>Survey policy</translation>
    </message>
    <message>
        <source>When customers are asked how it went, how often, and which answers open a review case for a supervisor. The first rule that fits a conversation wins.</source>
        <translation>When customers are asked how it went, how often, and which answers open a review case for a supervisor. The first rule that fits a conversation wins.</translation>
    </message>
    <message>
        <source>Problem with {field}</source>
        <translation>Problem with {field}</translation>
    </message>
    <message>
        <source>Survey rules</source>
        <translation>Survey rules</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>Survey</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Channels</translation>
    </message>
    <message>
        <source>Topics containing (empty: all)</source>
        <translation>Topics containing (empty: all)</translation>
    </message>
    <message>
        <source>Delay, min</source>
        <translation>Delay, min</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>Add rule</translation>
    </message>
    <message>
        <source>Add a survey rule</source>
        <translation>Add a survey rule</translation>
    </message>
    <message>
        <source>Remove rule</source>
        <translation>Remove rule</translation>
    </message>
    <message>
        <source>Remove the selected survey rule</source>
        <translation>Remove the selected survey rule</translation>
    </message>
    <message>
        <source>Rules</source>
        <translation>Rules</translation>
    </message>
    <message>
        <source>Problem with the rules</source>
        <translation>Problem with the rules</translation>
    </message>
    <message>
        <source>Survey kind of rule {n}</source>
        <translation>Survey kind of rule {n}</translation>
    </message>
    <message>
        <source>Channels of rule {n}</source>
        <translation>Channels of rule {n}</translation>
    </message>
    <message>
        <source>Topics of rule {n}</source>
        <translation>Topics of rule {n}</translation>
    </message>
    <message>
        <source>any topic</source>
        <translation>any topic</translation>
    </message>
    <message>
        <source>Delay of rule {n} in minutes</source>
        <translation>Delay of rule {n} in minutes</translation>
    </message>
    <message>
        <source>Rule {n}, {what}: {message}</source>
        <translation>Rule {n}, {what}: {message}</translation>
    </message>
    <message>
        <source>Enter an amount, such as 1000.00.</source>
        <translation>Enter an amount, such as 1000.00.</translation>
    </message>
</context>
<context>
    <name>ReviewCase</name>
    <message>
        <source>Discount</source>
        <translation>Discount</translation>
    </message>
    <message>
        <source>Refund</source>
        <translation>Refund</translation>
    </message>
    <message>
        <source>Gift</source>
        <translation>Gift</translation>
    </message>
    <message>
        <source>Bonus points</source>
        <translation>Bonus points</translation>
    </message>
    <message>
        <source>Recovered: the customer is happy again</source>
        <translation>Recovered: the customer is happy again</translation>
    </message>
    <message>
        <source>Not recovered</source>
        <translation>Not recovered</translation>
    </message>
    <message>
        <source>Customer unreachable</source>
        <translation>Customer unreachable</translation>
    </message>
    <message>
        <source>No action needed</source>
        <translation>No action needed</translation>
    </message>
    <message>
        <source>Opened by a low score ({score})</source>
        <translation>Opened by a low score ({score})</translation>
    </message>
    <message>
        <source>Assigned to {who}</source>
        <translation>Assigned to {who}</translation>
    </message>
    <message>
        <source>Call back planned</source>
        <translation>Call back planned</translation>
    </message>
    <message>
        <source>Compensation: {kind}, {amount} {currency}</source>
        <translation>Compensation: {kind}, {amount} {currency}</translation>
    </message>
    <message>
        <source>Resolved: {outcome}</source>
        <translation>Resolved: {outcome}</translation>
    </message>
    <message>
        <source>Follow-up survey sent</source>
        <translation>Follow-up survey sent</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>Assign to me</source>
        <translation>Assign to me</translation>
    </message>
    <message>
        <source>Open customer card</source>
        <translation>Open customer card</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Call back</translation>
    </message>
    <message>
        <source>Resolve case</source>
        <translation>Resolve case</translation>
    </message>
    <message>
        <source>The customer&apos;s card and whole conversation in the timeline</source>
        <translation>The customer&apos;s card and whole conversation in the timeline</translation>
    </message>
    <message>
        <source>Compensation</source>
        <translation>Compensation</translation>
    </message>
    <message>
        <source>Kind of compensation</source>
        <translation>Kind of compensation</translation>
    </message>
    <message>
        <source>Compensation amount</source>
        <translation>Compensation amount</translation>
    </message>
    <message>
        <source>Compensation note</source>
        <translation>Compensation note</translation>
    </message>
    <message>
        <source>Why, for the record</source>
        <translation>Why, for the record</translation>
    </message>
    <message>
        <source>Grant</source>
        <translation>Grant</translation>
    </message>
    <message>
        <source>Grant compensation</source>
        <translation>Grant compensation</translation>
    </message>
    <message>
        <source>Amount</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>Resolve</source>
        <translation>Resolve</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>Resolution note</source>
        <translation>Resolution note</translation>
    </message>
    <message>
        <source>What was done and agreed</source>
        <translation>What was done and agreed</translation>
    </message>
    <message>
        <source>Send a follow-up survey</source>
        <translation>Send a follow-up survey</translation>
    </message>
    <message>
        <source>History</source>
        <translation>History</translation>
    </message>
    <message>
        <source>Case history</source>
        <translation>Case history</translation>
    </message>
    <message>
        <source>No case chosen</source>
        <translation>No case chosen</translation>
    </message>
    <message>
        <source>Choose a case in the queue to work on it.</source>
        <translation>Choose a case in the queue to work on it.</translation>
    </message>
    <message>
        <source>handled by {who}</source>
        <translation>handled by {who}</translation>
    </message>
    <message>
        <source>assigned to {who}</source>
        <translation>assigned to {who}</translation>
    </message>
    <message>
        <source>No comment.</source>
        <translation>No comment.</translation>
    </message>
    <message>
        <source>Show the card and dial {phone}</source>
        <translation>Show the card and dial {phone}</translation>
    </message>
    <message>
        <source>No phone number on the card</source>
        <translation>No phone number on the card</translation>
    </message>
    <message>
        <source>Enter an amount above zero.</source>
        <translation>Enter an amount above zero.</translation>
    </message>
    <message>
        <source>Not signed in to a server: review actions need the server. Everything you typed is kept.</source>
        <translation>Not signed in to a server: review actions need the server. Everything you typed is kept.</translation>
    </message>
    <message>
        <source>The server cannot be reached, so the action was not done. Everything you typed is kept; try again when the connection is back.</source>
        <translation>The server cannot be reached, so the action was not done. Everything you typed is kept; try again when the connection is back.</translation>
    </message>
    <message>
        <source>Done: {what}.</source>
        <translation>Done: {what}.</translation>
    </message>
</context>
<context>
    <name>ReviewQueue</name>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Assigned</source>
        <translation>Assigned</translation>
    </message>
    <message>
        <source>Call back planned</source>
        <translation>Call back planned</translation>
    </message>
    <message>
        <source>Compensated</source>
        <translation>Compensated</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <source>Customer</source>
        <translation>Customer</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Score</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Open cases</source>
        <translation>Open cases</translation>
    </message>
    <message>
        <source>All cases</source>
        <translation>All cases</translation>
    </message>
    <message>
        <source>Any channel</source>
        <translation>Any channel</translation>
    </message>
    <message>
        <source>Any operator</source>
        <translation>Any operator</translation>
    </message>
    <message>
        <source>Any score</source>
        <translation>Any score</translation>
    </message>
    <message>
        <source>Score {n} or lower</source>
        <translation>Score {n} or lower</translation>
    </message>
    <message>
        <source>Any age</source>
        <translation>Any age</translation>
    </message>
    <message>
        <source>Waiting over 1 hour</source>
        <translation>Waiting over 1 hour</translation>
    </message>
    <message>
        <source>Waiting over 4 hours</source>
        <translation>Waiting over 4 hours</translation>
    </message>
    <message>
        <source>Waiting over a day</source>
        <translation>Waiting over a day</translation>
    </message>
    <message>
        <source>Waiting over 3 days</source>
        <translation>Waiting over 3 days</translation>
    </message>
    <message>
        <source>Everyone&apos;s</source>
        <translation>Everyone&apos;s</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>Mine</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Refresh the queue</source>
        <translation>Refresh the queue</translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation>Review queue</translation>
    </message>
    <message numerus="yes">
        <source>%n case(s)</source>
        <translation>
            <numerusform>%n case</numerusform>
            <numerusform>%n cases</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>operator</source>
        <translation>operator</translation>
    </message>
    <message>
        <source>supervisor</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
</context>
<context>
    <name>RulesPage</name>
    <message>
        <source>Upsell rules</source>
        <translation>Upsell rules</translation>
    </message>
    <message>
        <source>New rule</source>
        <translation>New rule</translation>
    </message>
    <message>
        <source>Start a new rule</source>
        <translation>Start a new rule</translation>
    </message>
    <message>
        <source>No rules yet. Fill in the form on the right and save it.</source>
        <translation>No rules yet. Fill in the form on the right and save it.</translation>
    </message>
    <message>
        <source>Which product operators are prompted to offer, to whom, and why. Rules reach every operator&apos;s app with the next sync. Disabled rules stay in the list so past offers keep their meaning.</source>
        <translation>Which product operators are prompted to offer, to whom, and why. Rules reach every operator&apos;s app with the next sync. Disabled rules stay in the list so past offers keep their meaning.</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Rule</translation>
    </message>
    <message>
        <source>Rule name</source>
        <translation>Rule name</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Problem with the name</source>
        <translation>Problem with the name</translation>
    </message>
    <message>
        <source>In use</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>Rule in use</source>
        <translation>Rule in use</translation>
    </message>
    <message>
        <source>Product to offer</source>
        <translation>Product to offer</translation>
    </message>
    <message>
        <source>Choose a product</source>
        <translation>Choose a product</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Offer</translation>
    </message>
    <message>
        <source>Problem with the product</source>
        <translation>Problem with the product</translation>
    </message>
    <message>
        <source>Reason shown to the operator</source>
        <translation>Reason shown to the operator</translation>
    </message>
    <message>
        <source>One line, e.g. “Router owners: mesh extender”</source>
        <translation>One line, e.g. “Router owners: mesh extender”</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Problem with the reason</source>
        <translation>Problem with the reason</translation>
    </message>
    <message>
        <source>What the operator may say</source>
        <translation>What the operator may say</translation>
    </message>
    <message>
        <source>Script</source>
        <translation>Script</translation>
    </message>
    <message>
        <source>Problem with the script</source>
        <translation>Problem with the script</translation>
    </message>
    <message>
        <source>Customers of tier {tier}</source>
        <translation>Customers of tier {tier}</translation>
    </message>
    <message>
        <source>Tiers (none: all)</source>
        <translation>Tiers (none: all)</translation>
    </message>
    <message>
        <source>Problem with the tiers</source>
        <translation>Problem with the tiers</translation>
    </message>
    <message>
        <source>Channels of the contact</source>
        <translation>Channels of the contact</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Channels</translation>
    </message>
    <message>
        <source>Problem with the channels</source>
        <translation>Problem with the channels</translation>
    </message>
    <message>
        <source>Customer owns a product of these categories</source>
        <translation>Customer owns a product of these categories</translation>
    </message>
    <message>
        <source>e.g. routers, plans</source>
        <translation>e.g. routers, plans</translation>
    </message>
    <message>
        <source>Owns a product in</source>
        <translation>Owns a product in</translation>
    </message>
    <message>
        <source>Problem with the categories</source>
        <translation>Problem with the categories</translation>
    </message>
    <message>
        <source>Customer segments</source>
        <translation>Customer segments</translation>
    </message>
    <message>
        <source>all segments</source>
        <translation>all segments</translation>
    </message>
    <message>
        <source>Segments</source>
        <translation>Segments</translation>
    </message>
    <message>
        <source>Problem with the segments</source>
        <translation>Problem with the segments</translation>
    </message>
    <message>
        <source>Check and preview</source>
        <translation>Check and preview</translation>
    </message>
    <message>
        <source>Check the rule and preview whom it reaches</source>
        <translation>Check the rule and preview whom it reaches</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>Disable this rule</source>
        <translation>Disable this rule</translation>
    </message>
    <message>
        <source>Save to server</source>
        <translation>Save to server</translation>
    </message>
    <message>
        <source>Save the rule to the server</source>
        <translation>Save the rule to the server</translation>
    </message>
    <message>
        <source>Preview result</source>
        <translation>Preview result</translation>
    </message>
    <message>
        <source>{name} (disabled)</source>
        <translation>{name} (disabled)</translation>
    </message>
    <message>
        <source>Rule: {name}</source>
        <translation>Rule: {name}</translation>
    </message>
    <message>
        <source>Give the rule a name.</source>
        <translation>Give the rule a name.</translation>
    </message>
    <message>
        <source>Choose the product to offer.</source>
        <translation>Choose the product to offer.</translation>
    </message>
    <message>
        <source>Choose a product from the list.</source>
        <translation>Choose a product from the list.</translation>
    </message>
    <message>
        <source>Nothing was saved: correct the marked fields.</source>
        <translation>Nothing was saved: correct the marked fields.</translation>
    </message>
    <message>
        <source>Rule “{name}” saved.</source>
        <translation>Rule “{name}” saved.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>Rule “{name}” is disabled; operators no longer see it.</source>
        <translation>Rule “{name}” is disabled; operators no longer see it.</translation>
    </message>
    <message>
        <source>{matching} customers meet the conditions; {reachable} of them may get offers (marketing consent, no open complaint).</source>
        <translation>{matching} customers meet the conditions; {reachable} of them may get offers (marketing consent, no open complaint).</translation>
    </message>
    <message>
        <source>For example: {names}.</source>
        <translation>For example: {names}.</translation>
    </message>
    <message>
        <source>The rule is valid. Nothing was saved yet.</source>
        <translation>The rule is valid. Nothing was saved yet.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <source>No customer matches “{query}”</source>
        <translation>No customer matches “{query}”</translation>
    </message>
    <message numerus="yes">
        <source>%n+ match(es) · type more</source>
        <translation>
            <numerusform>%n+ match · type more</numerusform>
            <numerusform>%n+ matches · type more</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s)</source>
        <translation>
            <numerusform>%n customer</numerusform>
            <numerusform>%n customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) share {number}</source>
        <translation>
            <numerusform>%n customer share {number}</numerusform>
            <numerusform>%n customers share {number}</numerusform>
        </translation>
    </message>
    <message>
        <source>Snooze…</source>
        <translation>Snooze…</translation>
    </message>
    <message>
        <source>Snooze the selected entry ({keys})</source>
        <translation>Snooze the selected entry ({keys})</translation>
    </message>
    <message>
        <source>none</source>
        <translation>none</translation>
    </message>
    <message>
        <source>Nothing here now</source>
        <translation>Nothing here now</translation>
    </message>
    <message numerus="yes">
        <source>%n open</source>
        <translation>
            <numerusform>%n open</numerusform>
            <numerusform>%n open</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n open conversation(s)</source>
        <translation>
            <numerusform>%n open conversation</numerusform>
            <numerusform>%n open conversations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n follow-up(s) due today</source>
        <translation>
            <numerusform>%n follow-up due today</numerusform>
            <numerusform>%n follow-ups due today</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n overdue</source>
        <translation>
            <numerusform>%n overdue</numerusform>
            <numerusform>%n overdue</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n due</source>
        <translation>
            <numerusform>%n due</numerusform>
            <numerusform>%n due</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n customer(s) waiting past the reply target</source>
        <translation>
            <numerusform>%n customer waiting past the reply target</numerusform>
            <numerusform>%n customers waiting past the reply target</numerusform>
        </translation>
    </message>
    <message>
        <source>Worklist and search</source>
        <translation>Worklist and search</translation>
    </message>
    <message>
        <source>Name, phone, e-mail, order</source>
        <translation>Name, phone, e-mail, order</translation>
    </message>
    <message>
        <source>Search as you type (Ctrl+F or F3). Down moves into the results, Enter opens a card.</source>
        <translation>Search as you type (Ctrl+F or F3). Down moves into the results, Enter opens a card.</translation>
    </message>
    <message>
        <source>Customer search</source>
        <translation>Customer search</translation>
    </message>
    <message>
        <source>Type a name, phone in any format, e-mail, order or contract number</source>
        <translation>Type a name, phone in any format, e-mail, order or contract number</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>Results</translation>
    </message>
    <message>
        <source>Search results</source>
        <translation>Search results</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open, Esc or Backspace to go back to the search box</source>
        <translation>Up/Down to move, Enter to open, Esc or Backspace to go back to the search box</translation>
    </message>
    <message>
        <source>My open contacts</source>
        <translation>My open contacts</translation>
    </message>
    <message>
        <source>Conversations assigned to you that are not resolved (Ctrl+Shift+1)</source>
        <translation>Conversations assigned to you that are not resolved (Ctrl+Shift+1)</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open the customer at this conversation, Esc to go back to the search box</source>
        <translation>Up/Down to move, Enter to open the customer at this conversation, Esc to go back to the search box</translation>
    </message>
    <message>
        <source>Follow-ups due</source>
        <translation>Follow-ups due</translation>
    </message>
    <message>
        <source>Promised call-backs and replies due by the end of today; overdue ones are marked red (Ctrl+Shift+2)</source>
        <translation>Promised call-backs and replies due by the end of today; overdue ones are marked red (Ctrl+Shift+2)</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze the follow-up</source>
        <translation>Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze the follow-up</translation>
    </message>
    <message>
        <source>Waiting for our reply</source>
        <translation>Waiting for our reply</translation>
    </message>
    <message>
        <source>Customers who wrote last and have waited longer than the channel&apos;s reply target (Ctrl+Shift+3)</source>
        <translation>Customers who wrote last and have waited longer than the channel&apos;s reply target (Ctrl+Shift+3)</translation>
    </message>
    <message>
        <source>Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze</source>
        <translation>Up/Down to move, Enter to open the customer at this conversation, Ctrl+Shift+S or the context menu to snooze</translation>
    </message>
</context>
<context>
    <name>SearchResults</name>
    <message>
        <source>has an open contact</source>
        <translation>has an open contact</translation>
    </message>
</context>
<context>
    <name>Segment</name>
    <message>
        <source>Consumer</source>
        <translation>Consumer</translation>
    </message>
    <message>
        <source>Small business</source>
        <translation>Small business</translation>
    </message>
    <message>
        <source>Corporate</source>
        <translation>Corporate</translation>
    </message>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>Loyal</translation>
    </message>
    <message>
        <source>High value</source>
        <translation>High value</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>At risk</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Lost</translation>
    </message>
</context>
<context>
    <name>ServerMessages</name>
    <message>
        <source>The change could not be saved; see the log for details.</source>
        <translation>The change could not be saved; see the log for details.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Wrong user name or password.</translation>
    </message>
    <message>
        <source>Cannot connect to {server}: the server is unreachable or offline.</source>
        <translation>Cannot connect to {server}: the server is unreachable or offline.</translation>
    </message>
    <message>
        <source>Cannot reach {server} through the proxy.</source>
        <translation>Cannot reach {server} through the proxy.</translation>
    </message>
    <message>
        <source>The proxy address {proxy} is not valid.</source>
        <translation>The proxy address {proxy} is not valid.</translation>
    </message>
    <message>
        <source>The proxy&apos;s host name “{host}” could not be found (DNS). Check the proxy address.</source>
        <translation>The proxy&apos;s host name “{host}” could not be found (DNS). Check the proxy address.</translation>
    </message>
    <message>
        <source>The proxy refused the connection: nothing listens on {host} port {port}. Check the proxy address.</source>
        <translation>The proxy refused the connection: nothing listens on {host} port {port}. Check the proxy address.</translation>
    </message>
    <message>
        <source>The proxy asks for a user name and password; put them in the proxy address (http://user:password@proxy:port).</source>
        <translation>The proxy asks for a user name and password; put them in the proxy address (http://user:password@proxy:port).</translation>
    </message>
    <message>
        <source>The proxy answers, but it could not reach {url}. Check the server address, or ask whether the proxy lets this address through.</source>
        <translation>The proxy answers, but it could not reach {url}. Check the server address, or ask whether the proxy lets this address through.</translation>
    </message>
    <message>
        <source>The server {server} did not answer in time.</source>
        <translation>The server {server} did not answer in time.</translation>
    </message>
    <message>
        <source>The connection to {server} was interrupted.</source>
        <translation>The connection to {server} was interrupted.</translation>
    </message>
    <message>
        <source>The certificate of {server} could not be verified; check the address or set the company CA bundle in the connection settings.</source>
        <translation>The certificate of {server} could not be verified; check the address or set the company CA bundle in the connection settings.</translation>
    </message>
    <message>
        <source>A secure connection to {server} could not be established.</source>
        <translation>A secure connection to {server} could not be established.</translation>
    </message>
    <message>
        <source>The server speaks API version {version}, this app speaks version {ours}; update the app or the server.</source>
        <translation>The server speaks API version {version}, this app speaks version {ours}; update the app or the server.</translation>
    </message>
    <message>
        <source>{url} does not look like an operator-app server; check the address.</source>
        <translation>{url} does not look like an operator-app server; check the address.</translation>
    </message>
    <message>
        <source>Please sign in again: the server did not accept your credentials.</source>
        <translation>Please sign in again: the server did not accept your credentials.</translation>
    </message>
    <message>
        <source>Your role does not allow this.</source>
        <translation>Your role does not allow this.</translation>
    </message>
    <message>
        <source>The server had a problem (HTTP {status}); trying again later.</source>
        <translation>The server had a problem (HTTP {status}); trying again later.</translation>
    </message>
    <message>
        <source>The server is busy with too many requests; waiting before retrying.</source>
        <translation>The server is busy with too many requests; waiting before retrying.</translation>
    </message>
    <message>
        <source>Enter the server address, for example {example}.</source>
        <translation>Enter the server address, for example {example}.</translation>
    </message>
    <message>
        <source>The server address must not contain &apos;?&apos; or &apos;#&apos; parts.</source>
        <translation>The server address must not contain &apos;?&apos; or &apos;#&apos; parts.</translation>
    </message>
    <message>
        <source>The server address {address} has no host name.</source>
        <translation>The server address {address} has no host name.</translation>
    </message>
    <message>
        <source>{address} is not a valid server address.</source>
        <translation>{address} is not a valid server address.</translation>
    </message>
    <message>
        <source>The host name “{host}” could not be found (DNS). Check the spelling.</source>
        <translation>The host name “{host}” could not be found (DNS). Check the spelling.</translation>
    </message>
    <message>
        <source>Connection refused: {host} answers, but nothing listens on port {port}.</source>
        <translation>Connection refused: {host} answers, but nothing listens on port {port}.</translation>
    </message>
    <message>
        <source>No answer from {address} within {seconds} s (a firewall or a wrong port?).</source>
        <translation>No answer from {address} within {seconds} s (a firewall or a wrong port?).</translation>
    </message>
    <message>
        <source>{url} answers, but it is not an operator-app server; check the address.</source>
        <translation>{url} answers, but it is not an operator-app server; check the address.</translation>
    </message>
    <message>
        <source>Connected: operator-app server {server}, API {api}.</source>
        <translation>Connected: operator-app server {server}, API {api}.</translation>
    </message>
    <message>
        <source>The CA bundle “{path}” does not exist.</source>
        <translation>The CA bundle “{path}” does not exist.</translation>
    </message>
    <message>
        <source>The CA bundle “{path}” is a folder; choose a .pem file.</source>
        <translation>The CA bundle “{path}” is a folder; choose a .pem file.</translation>
    </message>
    <message>
        <source>The proxy must look like {example} (http, https or socks5).</source>
        <translation>The proxy must look like {example} (http, https or socks5).</translation>
    </message>
    <message>
        <source>The proxy&apos;s port must be a number between 1 and 65535.</source>
        <translation>The proxy&apos;s port must be a number between 1 and 65535.</translation>
    </message>
    <message>
        <source>The user name must not be only spaces.</source>
        <translation>The user name must not be only spaces.</translation>
    </message>
    <message>
        <source>The cache folder must be a full path, such as {example}.</source>
        <translation>The cache folder must be a full path, such as {example}.</translation>
    </message>
    <message>
        <source>“{path}” is a file, not a folder.</source>
        <translation>“{path}” is a file, not a folder.</translation>
    </message>
    <message>
        <source>“{keys}” is not a key combination.</source>
        <translation>“{keys}” is not a key combination.</translation>
    </message>
    <message>
        <source>Also used by {actions}.</source>
        <translation>Also used by {actions}.</translation>
    </message>
    <message>
        <source>“{text}” is not a phone number.</source>
        <translation>“{text}” is not a phone number.</translation>
    </message>
    <message>
        <source>“{text}” is not an e-mail address.</source>
        <translation>“{text}” is not an e-mail address.</translation>
    </message>
    <message>
        <source>The text is {length} characters long; at most {limit} fit. Shorten it and send again.</source>
        <translation>The text is {length} characters long; at most {limit} fit. Shorten it and send again.</translation>
    </message>
    <message>
        <source>The text is empty.</source>
        <translation>The text is empty.</translation>
    </message>
    <message>
        <source>This conflict was already resolved.</source>
        <translation>This conflict was already resolved.</translation>
    </message>
    <message>
        <source>This change is no longer waiting for a decision.</source>
        <translation>This change is no longer waiting for a decision.</translation>
    </message>
    <message>
        <source>Offline (local cache)</source>
        <translation>Offline (local cache)</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>Demo Operator</source>
        <translation>Demo Operator</translation>
    </message>
    <message>
        <source>Your session has ended; sign in again.</source>
        <translation>Your session has ended; sign in again.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Users and roles</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <source>Survey policy</source>
        <translation>Survey policy</translation>
    </message>
    <message>
        <source>Channel SLAs</source>
        <translation>Channel SLAs</translation>
    </message>
    <message>
        <source>Upsell rules</source>
        <translation>Upsell rules</translation>
    </message>
    <message>
        <source>Team (admins only)</source>
        <translation>Team (admins only)</translation>
    </message>
    <message>
        <source>Team settings are stored on the server with the button on their page; Save below keeps this computer&apos;s settings.</source>
        <translation>Team settings are stored on the server with the button on their page; Save below keeps this computer&apos;s settings.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>System language</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Follow the system</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Light</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dark</translation>
    </message>
    <message>
        <source>Comfortable</source>
        <translation>Comfortable</translation>
    </message>
    <message>
        <source>Compact</source>
        <translation>Compact</translation>
    </message>
    <message>
        <source>Find a customer</source>
        <translation>Find a customer</translation>
    </message>
    <message>
        <source>Next panel</source>
        <translation>Next panel</translation>
    </message>
    <message>
        <source>Left panel</source>
        <translation>Left panel</translation>
    </message>
    <message>
        <source>Customer card</source>
        <translation>Customer card</translation>
    </message>
    <message>
        <source>Assist panel</source>
        <translation>Assist panel</translation>
    </message>
    <message>
        <source>Back to search</source>
        <translation>Back to search</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Resolve and ask</source>
        <translation>Resolve and ask</translation>
    </message>
    <message>
        <source>Supervisor view</source>
        <translation>Supervisor view</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>Settings pages</translation>
    </message>
    <message>
        <source>Save settings</source>
        <translation>Save settings</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Shortcut for {action}</source>
        <translation>Shortcut for {action}</translation>
    </message>
    <message>
        <source>Problem with the shortcut for {action}</source>
        <translation>Problem with the shortcut for {action}</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Not signed in</translation>
    </message>
    <message>
        <source>Also used by “{command}”.</source>
        <translation>Also used by “{command}”.</translation>
    </message>
    <message>
        <source>Correct the fields marked in red first</source>
        <translation>Correct the fields marked in red first</translation>
    </message>
    <message>
        <source>Nothing was saved: {reason}</source>
        <translation>Nothing was saved: {reason}</translation>
    </message>
    <message>
        <source>The connection cannot be tested right now.</source>
        <translation>The connection cannot be tested right now.</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Testing…</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Sign out</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made here have not reached the server yet. They stay on this computer and are sent after you sign in again as the same user. Sign out?</source>
        <translation>
            <numerusform>%n change made here have not reached the server yet. They stay on this computer and are sent after you sign in again as the same user. Sign out?</numerusform>
            <numerusform>%n changes made here have not reached the server yet. They stay on this computer and are sent after you sign in again as the same user. Sign out?</numerusform>
        </translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>Signing out…</translation>
    </message>
    <message>
        <source>The saved sign-in of {user} was removed from this computer; you stay signed in until you quit.</source>
        <translation>The saved sign-in of {user} was removed from this computer; you stay signed in until you quit.</translation>
    </message>
    <message>
        <source>No sign-in is saved.</source>
        <translation>No sign-in is saved.</translation>
    </message>
    <message>
        <source>The saved sign-in of {user} was removed from this computer.</source>
        <translation>The saved sign-in of {user} was removed from this computer.</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) made here have not reached the server yet and would be lost.</source>
        <translation>
            <numerusform>%n change made here have not reached the server yet and would be lost.</numerusform>
            <numerusform>%n changes made here have not reached the server yet and would be lost.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every change made here has reached the server.</source>
        <translation>Every change made here has reached the server.</translation>
    </message>
    <message>
        <source>Changes not yet sent to the server are lost.</source>
        <translation>Changes not yet sent to the server are lost.</translation>
    </message>
    <message>
        <source>Wipe local cache</source>
        <translation>Wipe local cache</translation>
    </message>
    <message>
        <source>Delete every customer and pending change kept on this computer?</source>
        <translation>Delete every customer and pending change kept on this computer?</translation>
    </message>
    <message>
        <source>Everything is then downloaded from the server again.</source>
        <translation>Everything is then downloaded from the server again.</translation>
    </message>
    <message>
        <source>The app closes; the next start begins afresh.</source>
        <translation>The app closes; the next start begins afresh.</translation>
    </message>
    <message>
        <source>Wipe</source>
        <translation>Wipe</translation>
    </message>
    <message>
        <source>Wiping the local cache…</source>
        <translation>Wiping the local cache…</translation>
    </message>
    <message>
        <source>The local cache was wiped.</source>
        <translation>The local cache was wiped.</translation>
    </message>
    <message>
        <source>No cache yet</source>
        <translation>No cache yet</translation>
    </message>
    <message>
        <source>{size} MB in {folder}</source>
        <translation>{size} MB in {folder}</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Connection</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Sync and cache</source>
        <translation>Sync and cache</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>Appearance</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>Shortcuts</translation>
    </message>
    <message>
        <source>Settings page</source>
        <translation>Settings page</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>https://crm.example.com</source>
        <translation>https://crm.example.com</translation>
    </message>
    <message>
        <source>serverUrl problem</source>
        <translation>serverUrl problem</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>Test connection</translation>
    </message>
    <message>
        <source>Connection test result</source>
        <translation>Connection test result</translation>
    </message>
    <message>
        <source>CA bundle</source>
        <translation>CA bundle</translation>
    </message>
    <message>
        <source>CA bundle file</source>
        <translation>CA bundle file</translation>
    </message>
    <message>
        <source>System certificates</source>
        <translation>System certificates</translation>
    </message>
    <message>
        <source>caBundle problem</source>
        <translation>caBundle problem</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>Proxy address</source>
        <translation>Proxy address</translation>
    </message>
    <message>
        <source>Direct connection</source>
        <translation>Direct connection</translation>
    </message>
    <message>
        <source>proxy problem</source>
        <translation>proxy problem</translation>
    </message>
    <message>
        <source>Timeout</source>
        <translation>Timeout</translation>
    </message>
    <message>
        <source>Connection timeout in seconds</source>
        <translation>Connection timeout in seconds</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Signed in as</source>
        <translation>Signed in as</translation>
    </message>
    <message>
        <source>Signed-in user</source>
        <translation>Signed-in user</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>User name for the next sign-in</source>
        <translation>User name for the next sign-in</translation>
    </message>
    <message>
        <source>user problem</source>
        <translation>user problem</translation>
    </message>
    <message>
        <source>Forget saved sign-in</source>
        <translation>Forget saved sign-in</translation>
    </message>
    <message>
        <source>Forget the saved sign-in token</source>
        <translation>Forget the saved sign-in token</translation>
    </message>
    <message>
        <source>Wipe local cache…</source>
        <translation>Wipe local cache…</translation>
    </message>
    <message>
        <source>Wipe the local cache</source>
        <translation>Wipe the local cache</translation>
    </message>
    <message>
        <source>Account status</source>
        <translation>Account status</translation>
    </message>
    <message>
        <source>Sync every</source>
        <translation>Sync every</translation>
    </message>
    <message>
        <source>Sync interval in seconds</source>
        <translation>Sync interval in seconds</translation>
    </message>
    <message>
        <source>Cache folder</source>
        <translation>Cache folder</translation>
    </message>
    <message>
        <source>The data folder</source>
        <translation>The data folder</translation>
    </message>
    <message>
        <source>cacheLocation problem</source>
        <translation>cacheLocation problem</translation>
    </message>
    <message>
        <source>Cache size</source>
        <translation>Cache size</translation>
    </message>
    <message>
        <source>Cache size on disk</source>
        <translation>Cache size on disk</translation>
    </message>
    <message>
        <source>Show desktop notifications</source>
        <translation>Show desktop notifications</translation>
    </message>
    <message>
        <source>Play a sound</source>
        <translation>Play a sound</translation>
    </message>
    <message>
        <source>Play a sound with notifications</source>
        <translation>Play a sound with notifications</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>Interface language</source>
        <translation>Interface language</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Theme</translation>
    </message>
    <message>
        <source>Colour theme</source>
        <translation>Colour theme</translation>
    </message>
    <message>
        <source>Font scale</source>
        <translation>Font scale</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>Density</translation>
    </message>
    <message>
        <source>Start when I sign in to the computer</source>
        <translation>Start when I sign in to the computer</translation>
    </message>
    <message>
        <source>Start automatically</source>
        <translation>Start automatically</translation>
    </message>
    <message>
        <source>Settings notice</source>
        <translation>Settings notice</translation>
    </message>
    <message>
        <source>Save or cancel</source>
        <translation>Save or cancel</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>Sign in</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>Cancel signing in</source>
        <translation>Cancel signing in</translation>
    </message>
    <message>
        <source>Enter the server address.</source>
        <translation>Enter the server address.</translation>
    </message>
    <message>
        <source>Enter your user name.</source>
        <translation>Enter your user name.</translation>
    </message>
    <message>
        <source>Enter your password.</source>
        <translation>Enter your password.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <source>Sign in to the server to sync customers, notes and replies.</source>
        <translation>Sign in to the server to sync customers, notes and replies.</translation>
    </message>
    <message>
        <source>&amp;Server:</source>
        <translation>&amp;Server:</translation>
    </message>
    <message>
        <source>Server address</source>
        <translation>Server address</translation>
    </message>
    <message>
        <source>https://crm.example.com</source>
        <translation>https://crm.example.com</translation>
    </message>
    <message>
        <source>&amp;User:</source>
        <translation>&amp;User:</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Remember me on this computer</source>
        <translation>Remember me on this computer</translation>
    </message>
    <message>
        <source>&amp;Remember me on this computer</source>
        <translation>&amp;Remember me on this computer</translation>
    </message>
</context>
<context>
    <name>SnoozeMenu</name>
    <message>
        <source>Snooze</source>
        <translation>Snooze</translation>
    </message>
    <message>
        <source>For 1 &amp;hour</source>
        <translation>For 1 &amp;hour</translation>
    </message>
    <message>
        <source>Until &amp;tomorrow 9:00</source>
        <translation>Until &amp;tomorrow 9:00</translation>
    </message>
    <message>
        <source>9:00 tomorrow, your local time</source>
        <translation>9:00 tomorrow, your local time</translation>
    </message>
    <message>
        <source>&amp;Pick a date and time…</source>
        <translation>&amp;Pick a date and time…</translation>
    </message>
</context>
<context>
    <name>SnoozeUntilDialog</name>
    <message>
        <source>Snooze until</source>
        <translation>Snooze until</translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <source>Your local date and time</source>
        <translation>Your local date and time</translation>
    </message>
    <message>
        <source>&amp;Bring it back at</source>
        <translation>&amp;Bring it back at</translation>
    </message>
    <message>
        <source>Snooze</source>
        <translation>Snooze</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>Pick a time in the future to snooze until.</source>
        <translation>Pick a time in the future to snooze until.</translation>
    </message>
    <message>
        <source>A snooze can last at most a year.</source>
        <translation>A snooze can last at most a year.</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <source>operator-app keeps its local cache in a data folder. {reason}

Fix the folder&apos;s permissions or start operator-app with another folder: operator-app --data-dir PATH</source>
        <translation>operator-app keeps its local cache in a data folder. {reason}

Fix the folder&apos;s permissions or start operator-app with another folder: operator-app --data-dir PATH</translation>
    </message>
    <message>
        <source>Cannot use the data folder</source>
        <translation>Cannot use the data folder</translation>
    </message>
    <message>
        <source>The demo data will be generated again.</source>
        <translation>The demo data will be generated again.</translation>
    </message>
    <message>
        <source>Customer data will be downloaded again from the server once you connect.</source>
        <translation>Customer data will be downloaded again from the server once you connect.</translation>
    </message>
    <message>
        <source>The cache file
{path}
was written by a newer version of operator-app, which this version cannot read.

Install the newer version to open it. The file has not been changed.</source>
        <translation>The cache file
{path}
was written by a newer version of operator-app, which this version cannot read.

Install the newer version to open it. The file has not been changed.</translation>
    </message>
    <message>
        <source>Cache from a newer version</source>
        <translation>Cache from a newer version</translation>
    </message>
    <message>
        <source>{reason}

Or start operator-app with another folder: operator-app --data-dir PATH</source>
        <translation>{reason}

Or start operator-app with another folder: operator-app --data-dir PATH</translation>
    </message>
    <message>
        <source>Cannot write the cache</source>
        <translation>Cannot write the cache</translation>
    </message>
    <message>
        <source>The file
{path}
is not an operator-app cache (another program may have written it).

Rebuild moves that file aside — nothing is deleted — and creates a new cache. {refill}</source>
        <translation>The file
{path}
is not an operator-app cache (another program may have written it).

Rebuild moves that file aside — nothing is deleted — and creates a new cache. {refill}</translation>
    </message>
    <message>
        <source>Not an operator-app cache</source>
        <translation>Not an operator-app cache</translation>
    </message>
    <message>
        <source>The cache file
{path}
is damaged or is not a database, so it cannot be read.

Rebuild moves the damaged file aside — nothing is deleted — and creates a new cache. {refill}</source>
        <translation>The cache file
{path}
is damaged or is not a database, so it cannot be read.

Rebuild moves the damaged file aside — nothing is deleted — and creates a new cache. {refill}</translation>
    </message>
    <message>
        <source>Cache file is damaged</source>
        <translation>Cache file is damaged</translation>
    </message>
    <message>
        <source>The cache file
{path}
cannot be opened: {reason}</source>
        <translation>The cache file
{path}
cannot be opened: {reason}</translation>
    </message>
    <message>
        <source>Cannot open the cache</source>
        <translation>Cannot open the cache</translation>
    </message>
    <message>
        <source>The demo could not be written{where}: {reason}.</source>
        <translation>The demo could not be written{where}: {reason}.</translation>
    </message>
    <message>
        <source>The demo could not be built: {reason}.</source>
        <translation>The demo could not be built: {reason}.</translation>
    </message>
    <message>
        <source>Generating customers and their history</source>
        <translation>Generating customers and their history</translation>
    </message>
    <message>
        <source>Building indexes</source>
        <translation>Building indexes</translation>
    </message>
    <message>
        <source>Checking references</source>
        <translation>Checking references</translation>
    </message>
    <message>
        <source>Building the search index</source>
        <translation>Building the search index</translation>
    </message>
    <message>
        <source>Gathering statistics</source>
        <translation>Gathering statistics</translation>
    </message>
    <message>
        <source>{app} — first demo run</source>
        <translation>{app} — first demo run</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Starting…</translation>
    </message>
    <message numerus="yes">
        <source>Preparing the demo: %Ln customer(s), generated once.</source>
        <translation>
            <numerusform>Preparing the demo: %Ln customer, generated once.</numerusform>
            <numerusform>Preparing the demo: %Ln customers, generated once.</numerusform>
        </translation>
    </message>
    <message>
        <source>Writing {what} rows</source>
        <translation>Writing {what} rows</translation>
    </message>
    <message>
        <source>Cancelling… nothing will be kept.</source>
        <translation>Cancelling… nothing will be kept.</translation>
    </message>
    <message>
        <source>Rebuild</source>
        <translation>Rebuild</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Quit</translation>
    </message>
    <message>
        <source>Rebuilding did not help.</source>
        <translation>Rebuilding did not help.</translation>
    </message>
    <message>
        <source>Cannot move the cache aside</source>
        <translation>Cannot move the cache aside</translation>
    </message>
    <message>
        <source>Could not prepare the demo</source>
        <translation>Could not prepare the demo</translation>
    </message>
</context>
<context>
    <name>Supervisor</name>
    <message>
        <source>Work areas</source>
        <translation>Work areas</translation>
    </message>
    <message>
        <source>Customers</source>
        <translation>Customers</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>&amp;Supervisor view</source>
        <translation>&amp;Supervisor view</translation>
    </message>
    <message>
        <source>Review queue and dashboards ({keys})</source>
        <translation>Review queue and dashboards ({keys})</translation>
    </message>
    <message>
        <source>Dashboards</source>
        <translation>Dashboards</translation>
    </message>
    <message>
        <source>Low-score review queue and dashboards ({keys})</source>
        <translation>Low-score review queue and dashboards ({keys})</translation>
    </message>
    <message>
        <source>A customer</source>
        <translation>A customer</translation>
    </message>
    <message>
        <source>Low score: review case opened</source>
        <translation>Low score: review case opened</translation>
    </message>
    <message>
        <source>{name} gave {kind} {score}. Click to open the case.</source>
        <translation>{name} gave {kind} {score}. Click to open the case.</translation>
    </message>
    <message>
        <source>Supervisor pages</source>
        <translation>Supervisor pages</translation>
    </message>
    <message>
        <source>Review queue</source>
        <translation>Review queue</translation>
    </message>
</context>
<context>
    <name>SurveyActions</name>
    <message>
        <source>How satisfied were you? 1 = very bad, 5 = very good</source>
        <translation>How satisfied were you? 1 = very bad, 5 = very good</translation>
    </message>
    <message>
        <source>Would you recommend us? 0 = not at all, 10 = surely</source>
        <translation>Would you recommend us? 0 = not at all, 10 = surely</translation>
    </message>
    <message>
        <source>How easy was it? 1 = very hard, 7 = very easy</source>
        <translation>How easy was it? 1 = very hard, 7 = very easy</translation>
    </message>
    <message>
        <source>Resolve and ask</source>
        <translation>Resolve and ask</translation>
    </message>
    <message>
        <source>Resolve the conversation and send the customer the policy&apos;s quick survey in their channel ({keys})</source>
        <translation>Resolve the conversation and send the customer the policy&apos;s quick survey in their channel ({keys})</translation>
    </message>
    <message>
        <source>Choose the survey kind</source>
        <translation>Choose the survey kind</translation>
    </message>
    <message>
        <source>Resolve and ask CSAT, NPS or CES, or ask only</source>
        <translation>Resolve and ask CSAT, NPS or CES, or ask only</translation>
    </message>
    <message>
        <source>Resolve and ask {kind}</source>
        <translation>Resolve and ask {kind}</translation>
    </message>
    <message>
        <source>Ask without resolving (policy&apos;s kind)</source>
        <translation>Ask without resolving (policy&apos;s kind)</translation>
    </message>
    <message>
        <source>Score said on the call</source>
        <translation>Score said on the call</translation>
    </message>
    <message>
        <source>Kind of score said aloud</source>
        <translation>Kind of score said aloud</translation>
    </message>
    <message>
        <source>Record {kind} score {score}</source>
        <translation>Record {kind} score {score}</translation>
    </message>
    <message>
        <source>Score {score} recorded; it reaches the server with the next sync.</source>
        <translation>Score {score} recorded; it reaches the server with the next sync.</translation>
    </message>
    <message>
        <source>Survey queued; it goes out with the next sync, offline or not.</source>
        <translation>Survey queued; it goes out with the next sync, offline or not.</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <source>Simulated traffic could not be switched: {reason}</source>
        <translation>Simulated traffic could not be switched: {reason}</translation>
    </message>
    <message>
        <source>The disk is full — free some space; your unsynced changes are kept.</source>
        <translation>The disk is full — free some space; your unsynced changes are kept.</translation>
    </message>
</context>
<context>
    <name>SyncIssues</name>
    <message>
        <source>Changes that need you</source>
        <translation>Changes that need you</translation>
    </message>
    <message>
        <source>Someone else changed the same fields on the server:</source>
        <translation>Someone else changed the same fields on the server:</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>My value</source>
        <translation>My value</translation>
    </message>
    <message>
        <source>Server value</source>
        <translation>Server value</translation>
    </message>
    <message>
        <source>Conflicting changes</source>
        <translation>Conflicting changes</translation>
    </message>
    <message>
        <source>The server refused these changes:</source>
        <translation>The server refused these changes:</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Change</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Refused changes</source>
        <translation>Refused changes</translation>
    </message>
    <message>
        <source>Keep mine</source>
        <translation>Keep mine</translation>
    </message>
    <message>
        <source>Take theirs</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Retry</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Discard</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>refused</translation>
    </message>
</context>
<context>
    <name>Tier</name>
    <message>
        <source>Standard</source>
        <translation>Standard</translation>
    </message>
    <message>
        <source>Silver</source>
        <translation>Silver</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>Gold</translation>
    </message>
    <message>
        <source>Platinum</source>
        <translation>Platinum</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>Shown</source>
        <translation>Shown</translation>
    </message>
    <message>
        <source>Accepted</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Not now</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Declined</translation>
    </message>
    <message>
        <source>Outgoing</source>
        <translation>Outgoing</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>Incoming</translation>
    </message>
    <message>
        <source>open</source>
        <translation>open</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>Waiting for an answer</source>
        <translation>Waiting for an answer</translation>
    </message>
    <message>
        <source>Resolved</source>
        <translation>Resolved</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <source>Offer</source>
        <translation>Offer</translation>
    </message>
    <message>
        <source>Order {number}</source>
        <translation>Order {number}</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Order</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Note</translation>
    </message>
    <message>
        <source>{kind} survey</source>
        <translation>{kind} survey</translation>
    </message>
    <message>
        <source>Survey (kind chosen by the policy)</source>
        <translation>Survey (kind chosen by the policy)</translation>
    </message>
    <message>
        <source>answered {when}</source>
        <translation>answered {when}</translation>
    </message>
    <message>
        <source>No comment</source>
        <translation>No comment</translation>
    </message>
    <message>
        <source>scheduled</source>
        <translation>scheduled</translation>
    </message>
    <message>
        <source>Goes out at {when}, after the quiet hours</source>
        <translation>Goes out at {when}, after the quiet hours</translation>
    </message>
    <message>
        <source>waiting for an answer</source>
        <translation>waiting for an answer</translation>
    </message>
    <message>
        <source>Waiting for the customer&apos;s answer</source>
        <translation>Waiting for the customer&apos;s answer</translation>
    </message>
    <message>
        <source>Survey</source>
        <translation>Survey</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Open</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>no answer</translation>
    </message>
    <message>
        <source>{kind} · no answer</source>
        <translation>{kind} · no answer</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Syncing</source>
        <translation>Syncing</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Tray menu</source>
        <translation>Tray menu</translation>
    </message>
    <message>
        <source>&amp;Show window</source>
        <translation>&amp;Show window</translation>
    </message>
    <message>
        <source>&amp;Pause notifications</source>
        <translation>&amp;Pause notifications</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>Operator — {state}</source>
        <translation>Operator — {state}</translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n change waiting to be sent</numerusform>
            <numerusform>%n changes waiting to be sent</numerusform>
        </translation>
    </message>
    <message>
        <source>Notifications paused</source>
        <translation>Notifications paused</translation>
    </message>
    <message>
        <source>Notifications off in Settings</source>
        <translation>Notifications off in Settings</translation>
    </message>
    <message>
        <source>{title}: {text}</source>
        <translation>{title}: {text}</translation>
    </message>
</context>
<context>
    <name>UnknownCaller</name>
    <message>
        <source>ext. {number}</source>
        <translation>ext. {number}</translation>
    </message>
    <message>
        <source>Unknown caller {number}</source>
        <translation>Unknown caller {number}</translation>
    </message>
    <message>
        <source>Unknown caller</source>
        <translation>Unknown caller</translation>
    </message>
    <message>
        <source>Unknown caller icon</source>
        <translation>Unknown caller icon</translation>
    </message>
    <message>
        <source>Caller&apos;s number</source>
        <translation>Caller&apos;s number</translation>
    </message>
    <message>
        <source>No customer in the local cache has this number.</source>
        <translation>No customer in the local cache has this number.</translation>
    </message>
    <message>
        <source>Create customer…</source>
        <translation>Create customer…</translation>
    </message>
    <message>
        <source>Create customer</source>
        <translation>Create customer</translation>
    </message>
    <message>
        <source>Start a new customer card with this number (Ctrl+N)</source>
        <translation>Start a new customer card with this number (Ctrl+N)</translation>
    </message>
    <message>
        <source>Ctrl+N</source>
        <translation>Ctrl+N</translation>
    </message>
    <message>
        <source>Search by name</source>
        <translation>Search by name</translation>
    </message>
    <message>
        <source>The caller may be on file under another number (Ctrl+F)</source>
        <translation>The caller may be on file under another number (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>Admin</source>
        <translation>Admin</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Users and roles</source>
        <translation>Users and roles</translation>
    </message>
    <message>
        <source>Who may sign in and what they may do. Operators answer customers; supervisors also review low scores; admins also manage these settings. A disabled account is signed out at once.</source>
        <translation>Who may sign in and what they may do. Operators answer customers; supervisors also review low scores; admins also manage these settings. A disabled account is signed out at once.</translation>
    </message>
    <message>
        <source>Selected account</source>
        <translation>Selected account</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Role of the selected account</source>
        <translation>Role of the selected account</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Change role</translation>
    </message>
    <message>
        <source>Problem with the role</source>
        <translation>Problem with the role</translation>
    </message>
    <message>
        <source>Disable account</source>
        <translation>Disable account</translation>
    </message>
    <message>
        <source>Disable or enable account</source>
        <translation>Disable or enable account</translation>
    </message>
    <message>
        <source>Empty: generate</source>
        <translation>Empty: generate</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>New password</translation>
    </message>
    <message>
        <source>Set password</source>
        <translation>Set password</translation>
    </message>
    <message>
        <source>Set a new password</source>
        <translation>Set a new password</translation>
    </message>
    <message>
        <source>Problem with the new password</source>
        <translation>Problem with the new password</translation>
    </message>
    <message>
        <source>New account</source>
        <translation>New account</translation>
    </message>
    <message>
        <source>User name of the new account</source>
        <translation>User name of the new account</translation>
    </message>
    <message>
        <source>e.g. anna.petrova</source>
        <translation>e.g. anna.petrova</translation>
    </message>
    <message>
        <source>Problem with the user name</source>
        <translation>Problem with the user name</translation>
    </message>
    <message>
        <source>Full name of the new account</source>
        <translation>Full name of the new account</translation>
    </message>
    <message>
        <source>Problem with the full name</source>
        <translation>Problem with the full name</translation>
    </message>
    <message>
        <source>Role of the new account</source>
        <translation>Role of the new account</translation>
    </message>
    <message>
        <source>Password of the new account</source>
        <translation>Password of the new account</translation>
    </message>
    <message>
        <source>At least 8 characters</source>
        <translation>At least 8 characters</translation>
    </message>
    <message>
        <source>Make a password for me</source>
        <translation>Make a password for me</translation>
    </message>
    <message>
        <source>Problem with the password</source>
        <translation>Problem with the password</translation>
    </message>
    <message>
        <source>Create account</source>
        <translation>Create account</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>Password to hand over</source>
        <translation>Password to hand over</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Choose an account in the list</source>
        <translation>Choose an account in the list</translation>
    </message>
    <message>
        <source>Enable account</source>
        <translation>Enable account</translation>
    </message>
    <message>
        <source>Enter a user name.</source>
        <translation>Enter a user name.</translation>
    </message>
    <message>
        <source>Account {name} created.</source>
        <translation>Account {name} created.</translation>
    </message>
    <message>
        <source>Creating the account…</source>
        <translation>Creating the account…</translation>
    </message>
    <message>
        <source>Password for {name}: {secret} — give it to them now; it is not shown again.</source>
        <translation>Password for {name}: {secret} — give it to them now; it is not shown again.</translation>
    </message>
    <message>
        <source>Disable {name}? They are signed out at once and cannot sign in until an admin enables the account again. Their work stays.</source>
        <translation>Disable {name}? They are signed out at once and cannot sign in until an admin enables the account again. Their work stays.</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>Saved: {name}.</source>
        <translation>Saved: {name}.</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <source>New password set for {name}; their sessions were ended.</source>
        <translation>New password set for {name}; their sessions were ended.</translation>
    </message>
</context>
<context>
    <name>ValueStrip</name>
    <message>
        <source>New</source>
        <translation>New</translation>
    </message>
    <message>
        <source>Loyal</source>
        <translation>Loyal</translation>
    </message>
    <message>
        <source>High value</source>
        <translation>High value</translation>
    </message>
    <message>
        <source>At risk</source>
        <translation>At risk</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Lost</translation>
    </message>
    <message>
        <source>New: bought once, recently. Too early to judge how they will buy.</source>
        <translation>New: bought once, recently. Too early to judge how they will buy.</translation>
    </message>
    <message>
        <source>Loyal: came back and buys again; most likely still a customer.</source>
        <translation>Loyal: came back and buys again; most likely still a customer.</translation>
    </message>
    <message>
        <source>High value: among the top fifth of customers by what they are expected to bring.</source>
        <translation>High value: among the top fifth of customers by what they are expected to bring.</translation>
    </message>
    <message>
        <source>At risk: used to buy, but is slipping away. Treat this contact as a chance to keep them, not to sell.</source>
        <translation>At risk: used to buy, but is slipping away. Treat this contact as a chance to keep them, not to sell.</translation>
    </message>
    <message>
        <source>Lost: has not bought for a long time and is very unlikely to come back on their own.</source>
        <translation>Lost: has not bought for a long time and is very unlikely to come back on their own.</translation>
    </message>
    <message>
        <source>not estimated yet</source>
        <translation>not estimated yet</translation>
    </message>
    <message>
        <source>The server estimates this from the customer&apos;s purchases every night. It has not done so for this customer yet (for example, no purchases, or a new server).</source>
        <translation>The server estimates this from the customer&apos;s purchases every night. It has not done so for this customer yet (for example, no purchases, or a new server).</translation>
    </message>
    <message>
        <source>What this customer has brought so far: the sum of paid orders minus refunds</source>
        <translation>What this customer has brought so far: the sum of paid orders minus refunds</translation>
    </message>
    <message>
        <source>since {date}</source>
        <translation>since {date}</translation>
    </message>
    <message numerus="yes">
        <source>%n order(s) in total.</source>
        <translation>
            <numerusform>%n order in total.</numerusform>
            <numerusform>%n orders in total.</numerusform>
        </translation>
    </message>
    <message>
        <source>What this customer is expected to spend with us over the next 12 months, judged by how often and how much they have bought so far.</source>
        <translation>What this customer is expected to spend with us over the next 12 months, judged by how often and how much they have bought so far.</translation>
    </message>
    <message>
        <source>About {count} purchase(s) expected.</source>
        <translation>About {count} purchase(s) expected.</translation>
    </message>
    <message>
        <source>How likely the customer still buys from us, judged by how regularly they bought and how long ago the last purchase was.</source>
        <translation>How likely the customer still buys from us, judged by how regularly they bought and how long ago the last purchase was.</translation>
    </message>
    <message>
        <source>Of 100 customers who bought like this, about {n} are still active.</source>
        <translation>Of 100 customers who bought like this, about {n} are still active.</translation>
    </message>
    <message>
        <source>Likely still active: {percent}</source>
        <translation>Likely still active: {percent}</translation>
    </message>
    <message>
        <source>Last answers: CSAT on 1–5 (5 = very satisfied) / NPS on 0–10</source>
        <translation>Last answers: CSAT on 1–5 (5 = very satisfied) / NPS on 0–10</translation>
    </message>
    <message>
        <source>Value segment: {name}</source>
        <translation>Value segment: {name}</translation>
    </message>
</context>
<context>
    <name>WindowSync</name>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation>Syncing…</translation>
    </message>
    <message>
        <source>Sign-in needed</source>
        <translation>Sign-in needed</translation>
    </message>
    <message>
        <source>Sync progress</source>
        <translation>Sync progress</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>&amp;Sign in…</translation>
    </message>
    <message>
        <source>Sign in to a server (Ctrl+Shift+L)</source>
        <translation>Sign in to a server (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>Write a note or reply</source>
        <translation>Write a note or reply</translation>
    </message>
    <message>
        <source>Resolve conversation</source>
        <translation>Resolve conversation</translation>
    </message>
    <message>
        <source>Set conversation pending</source>
        <translation>Set conversation pending</translation>
    </message>
    <message>
        <source>Reopen conversation</source>
        <translation>Reopen conversation</translation>
    </message>
    <message>
        <source>Simulate &amp;traffic</source>
        <translation>Simulate &amp;traffic</translation>
    </message>
    <message>
        <source>Customers call and write every few seconds</source>
        <translation>Customers call and write every few seconds</translation>
    </message>
    <message>
        <source>&amp;Demo</source>
        <translation>&amp;Demo</translation>
    </message>
    <message>
        <source>Not signed in — File › Sign in…</source>
        <translation>Not signed in — File › Sign in…</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Connecting…</translation>
    </message>
    <message>
        <source>Connection to the server</source>
        <translation>Connection to the server</translation>
    </message>
    <message>
        <source>conflicts: {count}</source>
        <translation>conflicts: {count}</translation>
    </message>
    <message>
        <source>refused: {count}</source>
        <translation>refused: {count}</translation>
    </message>
    <message numerus="yes">
        <source>Downloaded %Ln change(s)…</source>
        <translation>
            <numerusform>Downloaded %Ln change…</numerusform>
            <numerusform>Downloaded %Ln changes…</numerusform>
        </translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Incoming call</translation>
    </message>
</context>
<context>
    <name>WorklistActions</name>
    <message>
        <source>Sign in to a server to move follow-ups (File › Sign in…); the new time must reach your team.</source>
        <translation>Sign in to a server to move follow-ups (File › Sign in…); the new time must reach your team.</translation>
    </message>
    <message>
        <source>Follow-up with {name} moved to {when}</source>
        <translation>Follow-up with {name} moved to {when}</translation>
    </message>
    <message>
        <source>{name} snoozed until {when}</source>
        <translation>{name} snoozed until {when}</translation>
    </message>
</context>
<context>
    <name>WorklistModel</name>
    <message>
        <source>no topic</source>
        <translation>no topic</translation>
    </message>
    <message>
        <source>{name}: {topic} ({channel})</source>
        <translation>{name}: {topic} ({channel})</translation>
    </message>
    <message>
        <source>waiting for our reply for {age}</source>
        <translation>waiting for our reply for {age}</translation>
    </message>
    <message>
        <source>follow-up overdue by {age}</source>
        <translation>follow-up overdue by {age}</translation>
    </message>
    <message>
        <source>follow-up due {age}</source>
        <translation>follow-up due {age}</translation>
    </message>
    <message>
        <source>opened {age} ago</source>
        <translation>opened {age} ago</translation>
    </message>
</context>
</TS>
