/**
 * The words an AWS notice uses, as notice.ts's rules read them: what kind of notice a sentence is (KIND_CUES), what
 * role a version plays (TARGET_BEFORE, REFERENCE_BEFORE, CURRENT_BEFORE, REFERENCE_AFTER), which families are named
 * only in passing (PASSING_BEFORE, PASSING_AFTER, ASIDE), and what the notice claims about Windows Server support.
 * Every pattern is matched against lower-case text, and none can backtrack beyond a bounded span.
 */
import type { NoticeKind } from './alert.js';

/**
 * Words that say what kind of notice a sentence is, most specific first: a span one rule matched is not matched
 * again by a later one ("will be released" is upcoming, not a release).
 */
export const KIND_CUES: readonly (readonly [NoticeKind, RegExp])[] = [
  [
    'rollback',
    /\b(?:rolled[ -]?back|roll(?:ing)?[ -]?back|rollback|withdrawn|withdraw(?:s|ing)?|pulled|recalled|revoked|(?:has|have|was|were|been|being) removed|removed from (?:download|distribution|s3|the download)|do not (?:install|deploy|upgrade)|don'?t (?:install|deploy)|(?:should|must) not (?:be )?(?:installed|install|deployed|deploy)|stop (?:installing|deploying)|downgrad\w*|no longer available for download|yanked|retracted|unpublished|reverted|reverting|taken (?:down|offline)|(?:stopped|halted|paused|suspended) (?:distributing|distribution|offering|the rollout|the release)|no longer offered)\b/g,
  ],
  [
    'end-of-support',
    /\b(?:deprecat\w*|end[ -]of[ -](?:support|life|sale)|eol|no longer (?:be )?(?:available|supported|distributed|offered|maintained|updated|provided|published)|will (?:be )?(?:removed|retired|discontinued)|retir(?:e|ed|es|ing|ement)|discontinu\w*|sunset\w*|(?:end|ends|ending) (?:of )?support|(?:support|downloads?|distribution|availability|updates)\b[^;!?]{0,100}?\b(?:ends?|ending|will end|stops?|ceases?)\b|stop (?:supporting|publishing|distributing|providing))\b/g,
  ],
  [
    'upcoming',
    /\b(?:will (?:be )?(?:re-?)?(?:released|available|published|rolled out|made available|launched|shipped|generally available)|will (?:release|publish|launch|ship|roll out|become available)|(?:is|are) (?:scheduled|planned|expected) (?:to|for)|(?:plan|plans|planned|planning) to (?:release|publish|launch|ship)|coming soon|upcoming|pre-?announce\w*|advance notice|in the coming (?:days|weeks|months)|not yet (?:available|released|published|out)|(?:planned|scheduled|expected|targeted) (?:release|for|on|in|by|date)|status: (?:scheduled|planned|upcoming|pending)|will (?:follow|go live|arrive|land|be out)|follows? (?:on|in|next|later)|eta|later this (?:week|month|quarter|year)|next (?:week|month|quarter)|(?:scheduled|planned|future|next) (?:\w+ )?(?:release|update|version))\b/g,
  ],
  [
    'release',
    /\b(?:released|releases|release|(?:is|are) (?:now )?(?:generally )?available|now available|generally available|available now|available (?:for download|today|in|through|from|via|on)|(?:has|have) been (?:published|made available|launched|shipped)|(?:is|are) out|new (?:version|release|driver|drivers)|announc(?:e|es|ed|ing)|update(?:d)? (?:is|are) available|what's new|now supports?|status: (?:available|released|published|live|ga))\b/g,
  ],
  [
    'notice',
    /\b(?:known issues?|(?:we are|we're|aws is) (?:aware|investigating)|investigat\w+|advisory|(?:may|might|could) (?:experience|see|encounter|cause|fail)|(?:is|are) (?:affected|impacted)|affects|reminder|action (?:is )?required|workaround|heads[ -]up|please note|be aware|looking into|reports (?:of|about)|under investigation)\b/g,
  ],
];

/**
 * Words before a version that make it a target (what to go back, move or stay on) or a reference (previous,
 * replaced, required). Matched against the core of the version's own phrase, so a word in another clause does not
 * count and the cue must end the phrase: "roll back to [ENA driver version] 2.10.0".
 */
export const TARGET_BEFORE =
  /\b(?:back to|revert(?:ed|ing)? to|return(?:ing)? to|go(?:ing)? back to|downgrad\w* to|roll(?:ing)? ?back to|rollback to|replaced by|superseded by|upgrad\w* to|updat\w* to|mov(?:e|ing) to|migrat\w* to|switch(?:ing)? to|recommend\w*|reinstall\w*|re-install\w*|stay(?:s|ing)? (?:on|at|with)|remain(?:s|ing)? (?:on|at|with)|keep(?:s|ing)?(?: on| at| using| running)?|continue to (?:use|run)|replacement|use instead)$/;
export const REFERENCE_BEFORE =
  /\b(?:from|previous(?:ly)?|prior|earlier|older|old|last|final|since|until|before|than|over|replac(?:e|es|ed|ing)|supersed(?:e|es|ing)|requir(?:e|es|ed|ing)|needs?|minimum|min|at least|instead of|in place of|prior to|compared (?:to|with)|introduced (?:in|with)|affected by|unlike|not affected|unaffected|(?:server|20\d\d|r2) (?:\w+ )?(?:on|at|uses?|runs?|with))(?: \w+){0,2}$/;
/** What a version is now ("customers running 2.10.0", "current version: 2.11.0"): the subject only if nothing else is. */
export const CURRENT_BEFORE =
  /\b(?:running|using|currently|current|installed|existing|(?:instances|customers|servers) (?:on|with))(?: \w+){0,2}$/;

/** After a version: a range bound ("or later", "+") or the old side of an upgrade ("2.10.0 -> 2.11.0"). */
export const REFERENCE_AFTER =
  /^(?:\+|or (?:later|newer|higher|above|greater|earlier|older|lower|below|prior)|and (?:later|newer|higher|above|up|earlier|older|lower|below)|(?:->|=>|to) v?\d|\(?,? ?(?:is |was |remains |the )*(?:the )?(?:previous|prior|last|final|earlier|older|current production)\b)/;

/**
 * Words that say the families named just before them are not what the notice is about ("AWS PV is not affected",
 * "use ENA and NVMe instead"): their versions are not alerted.
 */
export const PASSING_BEFORE =
  /\b(?:(?:is|are|was|were|remains?|stays?) not (?:affected|impacted|changed|used|required|needed|the cause)|not (?:affected|impacted)|unaffected|unimpacted|unchanged|nothing changes(?! for)|no changes?(?! (?:to|for))|instead(?! of)|no (?:further )?action (?:is )?(?:required|needed)(?! (?:for|by|on))|(?:do|does) not need to (?:take )?(?:any )?action)\b/g;
/** The same, said of the families named after the words ("this does not change AWS PV or EC2WinUtil"). */
export const PASSING_AFTER =
  /\b(?:(?:does|do|did|will) not (?:affect|apply to|change|impact|need|require)|no action (?:is )?(?:required|needed) (?:for|by|on)|no changes? (?:to|for)|nothing changes for|unrelated to|continue to (?:use|run)|not (?:affect|change|apply to))\b/g;
/** Words that name a family beside the subject without saying anything of it: no alert without a version. */
export const ASIDE =
  /\b(?:alongside|unlike|like the|compatible with|works with|together with|along with|in addition to|such as)\b/g;

export const WINDOWS_SERVER =
  /\bwindows server (20\d\d(?: r2)?)((?:(?:,|, and|and|or|&|\/| ) ?(?:windows server )?20\d\d(?: r2)?)*)/g;
export const SUPPORT_ADDED =
  /\b(?:adds?|added|adding|introduces?|now|newly|includes?) support\b|\bsupports?\b|\b(?:is|are) now supported\b|\bsupport for windows server \S+ (?:is|has been) added\b/;
export const SUPPORT_REMOVED =
  /\b(?:remov\w*|drop\w*|end\w*|discontinu\w*|no longer|not|deprecat\w*|withdraw\w*|unsupported)\b[^.]{0,30}\bsupport|\b(?:no longer|not) supported\b|\bunsupported\b/;

/** "2.10.0 and 2.10.1", "2.10.0, 2.10.1 or ENA 2.10.2": only separators, family names and "version" between. */
export const LIST_JOINER =
  /^(?:[\s,/&*_()]|and|or|as well as|the|version|versions|v|driver|drivers|package|windows|aws|amazon|pv|paravirtual|ena|elastic|network|adapter|awsenanetworkdriver|nvme|awsnvme|awspv|awspvdriver|ec2winutil|ec2|utility)*$/;

/** Words that stand between a cue and its version without changing what the cue says. */
export const FILLER =
  /^(?:version|versions|v|ver|release|driver|drivers|package|packages|windows|the|a|an|our|its|this|new|latest)$/;
