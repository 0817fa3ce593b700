import { defineStarterBook } from './define.js';

/** Starter history: original text written for Vividly, CC BY 4.0. */
export const HISTORY = defineStarterBook('history', [
  {
    slug: 'american-revolution',
    title: 'The American Revolution',
    chapter: 'Revolutions and New Nations',
    objectives: [
      'Explain the main causes of the American Revolution.',
      'Describe key events of the war for independence.',
      'Identify the main ideas of the Declaration of Independence.',
    ],
    keyTerms: ['American Revolution', 'taxation without representation', 'Declaration of Independence', 'Patriot', 'Loyalist', 'Treaty of Paris'],
    passages: [
      {
        heading: 'Background',
        text: `By the 1760s, Britain ruled thirteen colonies along the Atlantic coast of North America. The Seven
          Years' War, known in North America as the French and Indian War, ended in 1763 with a British victory but
          left Britain deeply in debt. British leaders decided that the colonies should help pay for their own
          defense, and Parliament began passing new taxes and trade rules. Many colonists, who had grown used to
          running much of their own affairs, saw these measures as a threat to their rights.`,
      },
      {
        heading: 'Taxation without representation',
        text: `The Stamp Act of 1765 taxed printed materials such as newspapers and legal documents. Colonists
          protested that they had no representatives in Parliament, so Parliament had no right to tax them. Their
          slogan, no taxation without representation, summed up the complaint. Boycotts of British goods forced the
          repeal of the Stamp Act, but new taxes followed. Tensions grew after the Boston Massacre of 1770, when
          British soldiers killed five colonists. In 1773, protesters dumped British tea into Boston Harbor in what
          became known as the Boston Tea Party.`,
      },
      {
        heading: 'From protest to war',
        text: `Parliament punished Massachusetts with harsh laws that colonists called the Intolerable Acts.
          Delegates from twelve colonies met as the First Continental Congress in 1774 to coordinate their response.
          In April 1775, fighting broke out at Lexington and Concord, when British troops marched out to seize
          colonial weapons. The Second Continental Congress then created the Continental Army and chose George
          Washington as its commander. Even so, many colonists still hoped to settle their differences with the
          king.`,
      },
      {
        heading: 'The Declaration of Independence',
        text: `On July 4, 1776, the Continental Congress adopted the Declaration of Independence, written mainly
          by Thomas Jefferson. It argued that all men are created equal and have natural rights, including life,
          liberty and the pursuit of happiness. Governments exist to protect those rights and get their power from
          the consent of the governed. When a government destroys those rights, the people may change or abolish
          it. The document then listed grievances against King George the Third to justify the break with
          Britain.`,
      },
      {
        heading: 'Winning the war',
        text: `The war for independence lasted for years, and the colonists were divided. Patriots supported
          independence, Loyalists stayed loyal to Britain, and many people tried to stay neutral. The American
          victory at Saratoga in 1777 convinced France to enter the war as an ally, bringing money, soldiers and a
          navy. In 1781, American and French forces trapped a British army at Yorktown, Virginia, and forced it to
          surrender. The Treaty of Paris in 1783 recognized the independence of the United States.`,
      },
      {
        heading: 'Legacy and limits',
        text: `The Revolution created a republic built on the idea that power comes from the people, an idea that
          inspired later revolutions in France, Haiti and Latin America. Yet its promises were limited. Slavery
          continued in the new nation, women could not vote, and Native American nations lost land as settlers
          pushed west. Enslaved people who sought freedom by fighting on both sides, and the long debates over
          rights that followed, show that the meaning of the phrase all men are created equal was contested from
          the start.`,
      },
    ],
  },
  {
    slug: 'industrial-revolution',
    title: 'The Industrial Revolution',
    chapter: 'The Modern World',
    objectives: [
      'Explain why industrialization began in Britain.',
      'Describe key inventions and the factory system.',
      'Analyze the effects of industrialization on workers and cities.',
    ],
    keyTerms: ['Industrial Revolution', 'factory system', 'steam engine', 'urbanization', 'labor union'],
    passages: [
      {
        heading: 'What changed',
        text: `The Industrial Revolution was a shift from making goods by hand, at home or in small workshops, to
          making them with machines in factories. It began in Britain in the second half of the 1700s and spread to
          Western Europe, the United States and eventually the rest of the world. It changed how people worked,
          where they lived and how much could be produced. Many historians consider it the biggest change in human
          life since the beginning of farming.`,
      },
      {
        heading: 'Why Britain came first',
        text: `Several factors helped Britain industrialize first. It had large supplies of coal and iron ore,
          the raw materials of early industry. Changes in farming had raised food production, so fewer farm workers
          were needed and many people moved to towns looking for work. Britain also had money to invest from trade,
          a growing empire that supplied raw materials and markets, rivers and canals for transport, and laws that
          protected property and rewarded invention.`,
      },
      {
        heading: 'Key inventions',
        text: `The textile industry led the way. Inventions such as the spinning jenny and the water frame let one
          worker spin many threads at once. The most important invention was an improved steam engine, developed by
          James Watt in the 1760s and 1770s. Steam engines could power factories anywhere, not just beside rivers.
          They also drove locomotives and steamships, which moved goods and people faster and more cheaply than ever
          before. By the 1830s, railways were beginning to connect British cities.`,
      },
      {
        heading: 'The factory system',
        text: `In the factory system, workers gathered in one building to run machines, and each worker did one
          small task over and over. Work followed the clock, with shifts often lasting twelve to fourteen hours, six
          days a week. Wages were low, and conditions were often dangerous, with unguarded machines and poor
          ventilation. Children as young as five or six worked in some mills and mines, because they could be paid
          less and could fit into small spaces.`,
      },
      {
        heading: 'Cities and society',
        text: `Industrialization drove rapid urbanization, the growth of cities. Manchester, in northern England,
          grew roughly tenfold between the 1770s and 1850 and is often called the first industrial city. Housing was
          crowded and sanitation was poor, so diseases such as cholera spread easily. At the same time, a growing
          middle class of factory owners, merchants and professionals gained wealth and influence. Over the long
          run, industrial production made goods such as cloth far cheaper and raised average living standards.`,
      },
      {
        heading: 'Reform and response',
        text: `Workers and reformers pushed back against harsh conditions. Workers formed labor unions to bargain
          for better wages and hours, even though unions were illegal in Britain for a time. Parliament passed the
          Factory Act of 1833, which limited the hours children could work in textile mills and created inspectors
          to enforce the rules. Writers such as Charles Dickens described the lives of the urban poor. Over the
          following decades, laws on public health, schooling and working hours slowly improved daily life.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that the Industrial Revolution happened suddenly. In fact it unfolded
          over many decades, and in the early 1800s most people still worked on farms or in small workshops. Another
          misconception is that it brought only misery, or only progress. It brought both. It caused real suffering
          for many workers, but it also laid the foundation for the higher incomes, longer lives and new
          technologies that later generations enjoyed.`,
      },
    ],
  },
  {
    slug: 'civil-rights-movement',
    title: 'The Civil Rights Movement',
    chapter: 'The United States Since 1945',
    objectives: [
      'Explain the goals of the civil rights movement.',
      'Describe major events and strategies of the movement.',
      'Identify the key federal laws that the movement helped win.',
    ],
    keyTerms: ['civil rights movement', 'segregation', 'nonviolent protest', 'Civil Rights Act', 'Voting Rights Act'],
    passages: [
      {
        heading: 'Background',
        text: `The civil rights movement was a struggle to end segregation and secure equal rights for Black
          Americans, at its height from the mid 1950s to the late 1960s. Its roots lay in broken promises. After
          the Civil War, amendments to the Constitution ended slavery and promised equal protection and voting
          rights. In practice, however, Southern states passed laws, often called Jim Crow laws, that enforced
          racial segregation in schools, transportation, restaurants and other public places. Poll taxes, literacy
          tests and violent intimidation kept most Black citizens in the South from voting. In 1896, the Supreme
          Court allowed segregation as long as facilities were separate but equal, although they rarely were.`,
      },
      {
        heading: 'Brown versus Board of Education',
        text: `A major early victory for the movement came in 1954 with the case of Brown versus Board of
          Education. In that case, the Supreme Court ruled unanimously that segregated public schools were
          unconstitutional, because separate schools were inherently unequal. Lawyers from the NAACP, led by
          Thurgood Marshall, argued the case. Many Southern officials resisted the ruling for years, and
          integrating some schools required court orders and even federal troops. In 1957, federal soldiers had to
          escort nine Black students into Central High School in Little Rock, Arkansas.`,
      },
      {
        heading: 'Nonviolent protest',
        text: `Many leaders of the movement, including Martin Luther King Junior, embraced nonviolent protest. In
          1955, Rosa Parks was arrested in Montgomery, Alabama, for refusing to give up her bus seat to a white
          passenger. Black residents then boycotted the city buses for more than a year, until the Supreme Court
          ruled that bus segregation was unconstitutional. In 1960, college students began sit-ins at segregated
          lunch counters, and in 1961 the Freedom Riders rode buses through the South to challenge segregated bus
          terminals.`,
      },
      {
        heading: 'The March on Washington',
        text: `In August 1963, about 250,000 people gathered in the nation's capital for the March on Washington
          for Jobs and Freedom. There, Martin Luther King Junior gave his I Have a Dream speech, describing a future
          in which people would be judged by the content of their character rather than the color of their skin.
          Earlier that year, protests in Birmingham, Alabama, had shown police using dogs and fire hoses against
          young demonstrators. Television images of peaceful protesters and the violence they faced built national
          support for new laws.`,
      },
      {
        heading: 'New laws',
        text: `The movement helped win landmark federal laws. The Civil Rights Act of 1964 banned segregation in
          public places and outlawed discrimination in employment based on race, color, religion, sex or national
          origin. After marchers were violently attacked in Selma, Alabama, in 1965, Congress passed the Voting
          Rights Act that same year. It suspended literacy tests in places with a history of discrimination and
          allowed federal officials to oversee voter registration and elections there. Black voter registration in the South rose sharply in the following
          years.`,
      },
      {
        heading: 'Many voices',
        text: `The movement included many people and strategies beyond its best-known leaders. Young activists in
          the Student Nonviolent Coordinating Committee organized voter registration drives in rural Mississippi at
          great personal risk. Women such as Ella Baker and Fannie Lou Hamer were key organizers. Others, including
          Malcolm X, criticized the commitment to nonviolence and emphasized Black pride and self-defense. The
          movement also inspired later campaigns for the rights of women, Latino Americans, Native Americans and
          people with disabilities.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that the movement was the work of a few famous individuals. In reality, it
          depended on thousands of ordinary people who marched, boycotted, registered voters and risked their jobs
          and their lives. Another misconception is that Rosa Parks was simply a tired seamstress. She was an
          experienced activist and the secretary of the Montgomery branch of the NAACP. Finally, the new laws did
          not end inequality, and debates over voting rights and equal treatment continue today.`,
      },
    ],
  },
  {
    slug: 'causes-of-world-war-i',
    title: 'The Causes of World War I',
    chapter: 'The World at War',
    objectives: [
      'Identify the long-term causes of World War I.',
      'Explain how the assassination in Sarajevo led to a wider war.',
      'Describe how the alliance system turned a regional crisis into a world war.',
    ],
    keyTerms: ['World War I', 'militarism', 'alliance system', 'imperialism', 'nationalism', 'mobilization'],
    passages: [
      {
        heading: 'An overview',
        text: `World War I began in the summer of 1914 and lasted until November 1918. Historians often summarize
          its long-term causes with four words, militarism, alliances, imperialism and nationalism. None of these
          alone made war certain, but together they created a Europe in which a single crisis could spread quickly.
          The spark came in June 1914, with the assassination of Archduke Franz Ferdinand, the heir to the throne of
          Austria-Hungary. Within weeks, a quarrel between Austria-Hungary and Serbia had drawn in most of Europe.`,
      },
      {
        heading: 'Militarism',
        text: `Militarism is a belief in building strong armed forces and being ready to use them. In the decades
          before 1914, the major European powers greatly expanded their armies. Britain and Germany competed in a
          naval arms race to build powerful battleships called dreadnoughts. Military leaders drew up detailed war
          plans that depended on mobilizing quickly. Germany's plan called for defeating France rapidly before
          turning to fight Russia, which made it hard for leaders to slow down once a crisis began.`,
      },
      {
        heading: 'The alliance system',
        text: `By 1914, the great powers of Europe were divided into two blocs. The Triple Alliance linked Germany,
          Austria-Hungary and Italy. The Triple Entente linked France, Russia and Britain. The alliances were meant
          to discourage attacks, since an attacker would face several countries at once. But they also meant that a
          conflict between two countries could drag in their partners. When war came, Italy at first stayed out,
          and in 1915 it joined the side of the Entente.`,
      },
      {
        heading: 'Imperialism and nationalism',
        text: `Imperialism, the drive to build empires and control colonies, created rivalries among the powers,
          especially as Germany sought colonies and influence to match Britain and France. Nationalism, an intense
          pride in one's own nation, also raised tensions. In the Balkans, many Slavic nationalists wanted freedom
          from Austria-Hungary and looked to Serbia and Russia for support. Austria-Hungary, an empire of many
          nationalities, feared that such movements could tear it apart. Each of these rivalries made compromise harder
          when the crisis of 1914 arrived.`,
      },
      {
        heading: 'The assassination and the July Crisis',
        text: `On June 28, 1914, Gavrilo Princip, a young Bosnian Serb nationalist, shot and killed Archduke Franz
          Ferdinand and his wife Sophie in Sarajevo. Austria-Hungary blamed Serbia and, with a promise of German
          support, sent Serbia a harsh ultimatum. Serbia accepted most of its terms, but not all of them. On July 28,
          Austria-Hungary declared war on Serbia. Russia began to mobilize its army in support of Serbia, and within
          days Germany declared war on Russia and then on France.`,
      },
      {
        heading: 'A world war',
        text: `Germany's war plan sent its armies through neutral Belgium to attack France. Britain had promised
          to protect Belgian neutrality, and it declared war on Germany on August 4, 1914. Within days, most of the
          great powers of Europe were at war. Their empires drew in soldiers and battles from Africa, Asia and the
          Pacific. The Ottoman Empire joined Germany's side later in 1914, and the United States entered the war in
          1917 on the side of the Allies.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that the assassination alone caused the war. The killing was the trigger,
          but leaders made a series of choices in the following five weeks that turned a regional crisis into a
          general war. Another misconception is that one country was entirely to blame. Historians still debate how
          much responsibility each government bears, but most agree that decisions made in Vienna, Berlin, Saint
          Petersburg, Paris and London all played a part.`,
      },
    ],
  },
]);
