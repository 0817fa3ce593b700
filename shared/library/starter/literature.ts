import { defineStarterBook } from './define.js';

/** Starter literature: original text written for Vividly, CC BY 4.0. */
export const LITERATURE = defineStarterBook('literature', [
  {
    slug: 'elements-of-a-story',
    title: 'The Elements of a Story and Plot',
    chapter: 'Reading Fiction',
    objectives: [
      'Identify the basic elements of a story.',
      'Describe the stages of a typical plot.',
      'Explain how conflict drives a plot forward.',
    ],
    keyTerms: ['plot', 'conflict', 'setting', 'exposition', 'climax', 'resolution'],
    passages: [
      {
        heading: 'The elements of a story',
        text: `Most stories share a set of basic elements. The characters are the people, animals or other beings
          who take part in the action. The setting is where and when the story takes place. The plot is the
          sequence of events. The conflict is the central problem or struggle that drives the plot. The theme is
          the larger idea about life that the story explores. Point of view describes who tells the story and how
          much the narrator knows. Noticing these elements helps readers understand how a story works.`,
      },
      {
        heading: 'The stages of a plot',
        text: `Many plots follow a pattern that is often drawn as a mountain, called a plot diagram or Freytag's
          pyramid. The exposition introduces the characters, the setting and the situation. The rising action
          builds tension as the conflict develops and complications pile up. The climax is the turning point, the
          moment of greatest tension, when the main character must act or decide. The falling action shows the
          results of the climax. The resolution ties up the story and shows the new situation.`,
      },
      {
        heading: 'Types of conflict',
        text: `Conflict is the engine of a plot. External conflict pits a character against an outside force,
          which might be another character, nature, society or technology. Internal conflict takes place inside a
          character's mind, as when someone struggles with fear, guilt or a difficult choice. Many strong stories
          combine both. A sailor fighting a storm at sea may also be fighting doubts about whether to keep going.
          Without conflict, readers have little reason to keep turning the pages.`,
      },
      {
        heading: 'Example',
        text: `Consider the fairy tale of Cinderella. The exposition shows a kind young woman mistreated by her
          stepmother and stepsisters. The rising action begins when the prince announces a ball and a fairy
          godmother helps Cinderella attend. Tension peaks at midnight, when she must flee and leaves a glass
          slipper behind. In the falling action, the prince searches the kingdom for the owner of the slipper. The
          resolution arrives when the slipper fits and her life is transformed. Readers sometimes disagree about
          exactly where the climax falls, and that debate is a good way to think about structure.`,
      },
      {
        heading: 'Character and setting',
        text: `Characters can be round, with complex and believable personalities, or flat, with just one or two
          traits. A dynamic character changes during the story, while a static character stays the same. Main
          characters are often dynamic, and the way they change reveals what the story means. The setting does more
          than provide a backdrop. A lonely farmhouse in winter, a crowded city or a spaceship can create a mood,
          limit what the characters can do, and even become a source of conflict.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that the climax is simply the most exciting scene. The climax is the
          turning point, where the conflict reaches its peak and the outcome becomes clear, even if it is a quiet
          moment of decision. Another misconception is that every story must follow the plot diagram exactly. Many
          stories begin in the middle of the action, use flashbacks or leave the ending open. The plot diagram is a
          tool for analysis, not a rule that writers must obey.`,
      },
    ],
  },
  {
    slug: 'figurative-language',
    title: 'Figurative Language: Simile, Metaphor and More',
    chapter: 'Language and Style',
    objectives: [
      'Distinguish literal language from figurative language.',
      'Identify similes, metaphors, personification and hyperbole.',
      'Explain how figurative language shapes meaning and tone.',
    ],
    keyTerms: ['figurative language', 'simile', 'metaphor', 'personification', 'hyperbole', 'imagery'],
    passages: [
      {
        heading: 'Literal and figurative language',
        text: `Literal language means exactly what it says. Figurative language uses words in an imaginative way
          to express an idea more vividly than a plain statement could. If someone says it is raining hard, that is
          literal. If they say it is raining cats and dogs, that is figurative, because no animals are falling from
          the sky. Writers use figurative language to create pictures in the mind, stir emotions and help readers
          see familiar things in a new way.`,
      },
      {
        heading: 'Similes',
        text: `A simile compares two unlike things using the word like or the word as. Saying that someone ran
          like the wind, or that a smile was as bright as the sun, is using a simile. The comparison highlights a
          shared quality, such as speed or brightness, that might not be obvious at first. Similes are common in
          everyday speech as well as in poetry. In a famous poem by Robert Burns, the speaker says that his love is
          like a red, red rose, suggesting beauty and freshness.`,
      },
      {
        heading: 'Metaphors',
        text: `A metaphor makes a comparison without using like or as. It states that one thing is another.
          Saying that a classroom was a zoo does not mean there were animals in it. It suggests that the room was
          noisy and wild. A metaphor can feel stronger than a simile because it makes the comparison directly. An
          extended metaphor continues across several lines or a whole work, as when Shakespeare writes that all the
          world is a stage and goes on to describe people as actors playing their parts.`,
      },
      {
        heading: 'Personification and hyperbole',
        text: `Personification gives human qualities to animals, objects or ideas. When a writer says that the
          wind whispered through the trees, or that an old car groaned up the hill, that is personification.
          Hyperbole is deliberate exaggeration for effect, as in saying that you have a million things to do.
          Neither figure is meant to be taken literally. Personification can make a scene feel alive or
          threatening, while hyperbole often adds humor or shows how strongly a character feels.`,
      },
      {
        heading: 'Imagery and effect',
        text: `Figurative language often works together with imagery, which is description that appeals to the
          senses of sight, sound, smell, taste and touch. When you analyze a figure of speech, ask what two things
          are being compared, what qualities they share, and what feeling the comparison creates. Calling a city a
          jungle suggests danger and competition, while calling it a garden suggests growth and care. The choice
          of comparison shapes the tone of the whole passage.`,
      },
      {
        heading: 'Figurative language in everyday speech',
        text: `Figurative language is not only for poets. Sports commentators say that a player is on fire, and
          fans describe a close game as a nail-biter. Songs compare love to a battlefield or a roller coaster.
          Everyday phrases such as time flies, a heart of gold and a sea of faces are all figurative. Many are so
          familiar that we barely notice them. Expressions that have been used so often that they have lost their
          freshness are called cliches.`,
      },
      {
        heading: 'Common misconceptions',
        text: `Students sometimes think that any comparison is a simile. Saying that a cat is smaller than a dog
          is a literal comparison, because it compares two similar things in a factual way. Another mistake is to
          label every use of the word like as a simile. When you say that you like pizza, the word like is a verb,
          not a comparison. Finally, naming a figure of speech is only the first step. The real question is what
          the figure adds to the meaning.`,
      },
    ],
  },
  {
    slug: 'poetry-rhythm-and-meter',
    title: 'Rhythm and Meter in Poetry',
    chapter: 'Reading Poetry',
    objectives: [
      'Define rhythm, meter and foot.',
      'Identify iambic pentameter in a line of poetry.',
      'Explain how rhythm and rhyme affect the sound and meaning of a poem.',
    ],
    keyTerms: ['rhythm', 'meter', 'foot', 'iambic pentameter', 'rhyme scheme', 'free verse'],
    passages: [
      {
        heading: 'Rhythm and meter',
        text: `Rhythm is the pattern of stressed and unstressed syllables in language. Every spoken sentence has
          rhythm, but poets often arrange it into a regular pattern called meter. A stressed syllable is one we say
          with more force, like the first syllable of the word garden. An unstressed syllable is said more lightly,
          like the second syllable of garden. When a poem has meter, reading it aloud produces a steady beat, a
          little like music.`,
      },
      {
        heading: 'Poetic feet',
        text: `Meter is measured in units called feet. A foot is a small group of syllables, usually one stressed
          syllable with one or two unstressed ones. An iamb is an unstressed syllable followed by a stressed one, as
          in the word today. A trochee is the reverse, stressed then unstressed, as in the word garden. An anapest
          has two unstressed syllables followed by a stressed one, as in the word understand. A dactyl has one
          stressed syllable followed by two unstressed ones, as in the word elephant.`,
      },
      {
        heading: 'Naming the meter',
        text: `The meter of a line is named by its main type of foot and the number of feet. One foot per line is
          called monometer, two is dimeter, three is trimeter, four is tetrameter, and five is pentameter. The most
          common meter in English poetry is iambic pentameter, a line of five iambs, or ten syllables that
          alternate between unstressed and stressed. It sounds close to natural English speech, which is one reason
          Shakespeare and many other poets relied on it.`,
      },
      {
        heading: 'Example',
        text: `Listen to the first line of Shakespeare's Sonnet 18, shall I compare thee to a summer's day. Read
          aloud, the stress falls on the second syllable of each pair, giving five beats in ten syllables. The
          rhythm sounds like da DUM, da DUM, da DUM, da DUM, da DUM. Marking the stresses in a line this way is
          called scansion. Poets also break the pattern on purpose, for example by starting a line with a stressed
          syllable, so that an important word stands out.`,
      },
      {
        heading: 'Rhyme',
        text: `Rhyme often works together with meter. Words rhyme when their last stressed vowel sound and any
          sounds after it match, as in light and night. The pattern of rhymes at the ends of lines is called the
          rhyme scheme, and it is labeled with letters. In a four-line stanza where the first and third lines rhyme
          and the second and fourth lines rhyme, the scheme is A B A B. A Shakespearean sonnet has fourteen lines of
          iambic pentameter and ends with a rhyming pair of lines called a couplet.`,
      },
      {
        heading: 'Free verse',
        text: `Not all poems use a regular meter or rhyme. Free verse follows the natural rhythms of speech instead
          of a fixed pattern. Walt Whitman's Leaves of Grass, first published in 1855, helped make free verse
          popular, and today it is one of the most common forms of poetry. Free verse is not random, though. Poets
          still choose line breaks, repetition and sound carefully to control pace and emphasis. A line break can
          create a pause that makes a single word land with extra force.`,
      },
      {
        heading: 'Why rhythm matters',
        text: `Meter and rhythm do more than make a poem pleasant to hear. A steady, regular beat can feel calm or
          solemn, while a galloping rhythm of anapests can create excitement or humor. A break in the pattern draws
          attention to a word or idea. Rhythm also makes poems easier to remember, which is why songs, nursery
          rhymes and chants rely on it. Listening for rhythm is one of the best ways to understand how a poem
          creates its effects.`,
      },
    ],
  },
  {
    slug: 'theme',
    title: 'Theme in Literature',
    chapter: 'Reading Fiction',
    objectives: [
      'Distinguish a theme from a topic or a summary.',
      'State a theme as a complete sentence.',
      'Support a theme with evidence from a text.',
    ],
    keyTerms: ['theme', 'topic', 'universal theme', 'evidence', 'symbol', 'motif'],
    passages: [
      {
        heading: 'What a theme is',
        text: `A theme is a central message or insight about life that a work of literature expresses. It is
          different from the topic, which is simply what the work is about. Friendship is a topic, while a theme
          about friendship might be that true friends tell each other hard truths. A theme is usually stated as a
          complete sentence that makes a claim. Most themes are not stated directly in the text. Readers infer them
          from what happens to the characters and from how the story ends.`,
      },
      {
        heading: 'Finding the theme',
        text: `To find a theme, start by looking at the main character and the conflict. Ask how the character
          changes and what they learn by the end. Pay attention to the title, to repeated images or ideas, and to
          the resolution. Then ask what the story suggests about people or life in general, not just about these
          particular characters. A good theme statement applies beyond the story, yet every part of it should be
          supported by evidence from the text.`,
      },
      {
        heading: 'Universal themes',
        text: `Some themes appear again and again across cultures and centuries, and these are called universal
          themes. Examples include the ideas that pride can lead to a fall, that courage means acting despite fear,
          and that growing up involves losing some innocence. Universal themes help explain why an ancient epic or a
          play written four hundred years ago can still move readers today. The situations change, but the human
          questions stay the same.`,
      },
      {
        heading: 'Symbols and motifs',
        text: `Writers often develop themes through symbols and motifs. A symbol is an object, person or event
          that stands for something beyond itself. In many stories, a journey stands for personal growth, and light
          can stand for knowledge or hope. A motif is an image, phrase or idea that repeats throughout a work. When
          you notice something returning again and again, ask what it might have to do with the theme. Repetition
          is often the author's signal that something matters.`,
      },
      {
        heading: 'Example',
        text: `Consider the fable of the tortoise and the hare. The topic is a race, and the plot is simple. A
          fast hare mocks a slow tortoise, takes a nap during their race, and wakes to find the tortoise crossing
          the finish line. One theme can be stated in a single sentence. Steady effort can succeed where
          overconfidence fails. The hare's nap and the tortoise's patient pace are the evidence for this reading.
          Different readers may word the theme differently, as long as the text supports it.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that a theme is just one word, such as love or courage. Those words name
          topics, and a theme must say something about the topic. Another misconception is that every work has a
          single correct theme. Rich works often support several themes, and readers can disagree, as long as each
          reading is backed by evidence. Finally, a theme is not the same as a moral that tells the reader what to
          do. It is usually an observation about life rather than an instruction.`,
      },
    ],
  },
]);
