import { defineStarterBook } from './define.js';

/** Starter biology: original text written for Vividly, CC BY 4.0. */
export const BIOLOGY = defineStarterBook('biology', [
  {
    slug: 'cells',
    title: 'Cells: The Basic Units of Life',
    chapter: 'Cells',
    objectives: [
      'State the main ideas of the cell theory.',
      'Compare prokaryotic and eukaryotic cells.',
      'Describe the jobs of the major parts of a cell.',
    ],
    keyTerms: ['cell', 'cell theory', 'organelle', 'nucleus', 'mitochondria', 'cell membrane'],
    passages: [
      {
        heading: 'The cell theory',
        text: `The cell is the smallest unit that can carry out all the processes of life. The cell theory,
          developed in the 1800s, has three main ideas. All living things are made of one or more cells. The cell
          is the basic unit of structure and function in living things. All cells come from existing cells. Some
          organisms, such as bacteria, consist of a single cell. A human body, by contrast, contains tens of
          trillions of cells of many different types, including muscle, nerve, skin and blood cells.`,
      },
      {
        heading: 'Prokaryotic and eukaryotic cells',
        text: `There are two basic kinds of cells. Prokaryotic cells, found in bacteria and archaea, have no
          nucleus, and their DNA sits in a region of the cell called the nucleoid. Eukaryotic cells, found in
          plants, animals, fungi and protists, keep their DNA inside a nucleus surrounded by a membrane. Eukaryotic
          cells also contain other membrane-bound compartments called organelles. Prokaryotic cells are usually
          much smaller, often only one to a few micrometers across, while many eukaryotic cells are ten to one
          hundred micrometers across.`,
      },
      {
        heading: 'The cell membrane',
        text: `Every cell is surrounded by a cell membrane, a thin, flexible barrier made mostly of a double
          layer of lipids with proteins embedded in it. The membrane controls what enters and leaves the cell.
          Small molecules such as oxygen and carbon dioxide pass through it easily. Larger or charged particles,
          such as sugars and ions, need help from channel and carrier proteins. Because the membrane lets some
          substances through but not others, it is called selectively permeable.`,
      },
      {
        heading: 'Organelles and their jobs',
        text: `Organelles and other structures divide up the work of a eukaryotic cell. The nucleus holds the DNA
          and directs the activities of the cell. Ribosomes build proteins, following instructions copied from the
          DNA. The endoplasmic reticulum and the Golgi apparatus modify, package and ship those proteins.
          Mitochondria release energy from food molecules in a process called cellular respiration, producing a
          molecule called ATP that powers the cell. Lysosomes break down wastes and worn-out cell parts.`,
      },
      {
        heading: 'Plant and animal cells',
        text: `Plant and animal cells share most of their organelles, but there are key differences. Plant cells
          have a rigid cell wall made of cellulose outside the membrane, which gives them support. They also
          contain chloroplasts, where photosynthesis captures the energy of sunlight. Most plant cells have a large
          central vacuole that stores water and helps keep the cell firm. Animal cells lack a cell wall and
          chloroplasts. Without a rigid wall, animal cells take on many different shapes, from long nerve cells to
          flat skin cells.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that cells are simple bags of fluid. In fact, the inside of a cell is
          crowded and highly organized, with a network of protein fibers called the cytoskeleton that gives the
          cell its shape and moves materials around. Another misconception is that bigger organisms have bigger
          cells. Most of the cells of an elephant are about the same size as those of a mouse. The elephant simply
          has far more of them.`,
      },
    ],
  },
  {
    slug: 'photosynthesis',
    title: 'Photosynthesis',
    chapter: 'Energy in Living Things',
    objectives: [
      'Describe the overall process of photosynthesis in words.',
      'Explain the roles of the light-dependent reactions and the Calvin cycle.',
      'Explain how photosynthesis and cellular respiration are connected.',
    ],
    keyTerms: ['photosynthesis', 'chlorophyll', 'chloroplast', 'glucose', 'Calvin cycle', 'carbon dioxide'],
    passages: [
      {
        heading: 'What photosynthesis does',
        text: `Photosynthesis is the process that plants, algae and some bacteria use to capture the energy of
          sunlight and store it in sugar. It takes in carbon dioxide from the air and water from the soil, and it
          produces glucose and oxygen. In words, six molecules of carbon dioxide plus six molecules of water, with
          energy from light, produce one molecule of glucose and six molecules of oxygen. Almost all life on Earth
          depends on this process, either directly or by eating organisms that carry it out.`,
      },
      {
        heading: 'Chloroplasts and chlorophyll',
        text: `In plants, photosynthesis takes place inside chloroplasts, which are found mostly in the cells of
          leaves. Chloroplasts contain stacks of flattened membrane sacs called thylakoids, surrounded by a fluid
          called the stroma. The thylakoid membranes hold chlorophyll, the green pigment that absorbs light.
          Chlorophyll absorbs red and blue light strongly but reflects much of the green light, which is why
          leaves look green. Other pigments help capture additional colors of light.`,
      },
      {
        heading: 'The light-dependent reactions',
        text: `Photosynthesis happens in two main stages. The first stage, the light-dependent reactions, takes
          place in the thylakoid membranes. Light energy absorbed by chlorophyll is used to split water molecules.
          Splitting water releases oxygen as a by-product, and that oxygen is the source of the oxygen we breathe.
          The captured energy is stored for a short time in two carrier molecules, called ATP and NADPH. These
          carriers then deliver the energy to the stroma to power the second stage.`,
      },
      {
        heading: 'The Calvin cycle',
        text: `The second stage of photosynthesis is the Calvin cycle, which takes place in the stroma. It does
          not use light directly, so it is sometimes called the light-independent reactions. In the Calvin cycle,
          an enzyme attaches carbon dioxide from the air to an existing five-carbon molecule. Using energy from ATP
          and NADPH, the cycle builds three-carbon sugars, which the plant uses to make glucose and other organic
          molecules. Turning carbon dioxide into sugar in this way is called carbon fixation.`,
      },
      {
        heading: 'Photosynthesis and respiration',
        text: `Photosynthesis and cellular respiration are closely linked. Photosynthesis uses carbon dioxide and
          water to make glucose and oxygen. Cellular respiration, which happens in the mitochondria of both plants
          and animals, uses glucose and oxygen to release energy, giving off carbon dioxide and water. The products
          of one process are the starting materials of the other. Together, the two processes cycle carbon and
          oxygen between living things and the atmosphere. Plants need both, because they make their food by
          photosynthesis and then release its energy by respiration.`,
      },
      {
        heading: 'What affects the rate',
        text: `The rate of photosynthesis depends on conditions. More light generally increases the rate, up to a
          point where the plant cannot use light any faster. More carbon dioxide can also increase the rate, which
          is why some greenhouses add carbon dioxide to the air. Temperature matters because the enzymes of the
          Calvin cycle work best within a certain range. A shortage of water slows photosynthesis too, because
          plants close the tiny pores in their leaves, called stomata, to save water, and that also keeps carbon
          dioxide out.`,
      },
      {
        heading: 'Common misconceptions',
        text: `Many people believe that plants get their mass from the soil. Experiments show that most of the dry
          mass of a plant comes from carbon dioxide in the air, built into sugars and other molecules during
          photosynthesis. Another misconception is that plants photosynthesize instead of respiring. Plants carry
          out cellular respiration all the time, day and night, to power their cells. During the day, they simply
          make more oxygen through photosynthesis than they use.`,
      },
    ],
  },
  {
    slug: 'dna-and-genes',
    title: 'DNA and Genes',
    chapter: 'Genetics',
    objectives: [
      'Describe the structure of DNA.',
      'Explain how a gene carries the instructions for a protein.',
      'Relate mutations to changes in traits.',
    ],
    keyTerms: ['DNA', 'gene', 'base pair', 'chromosome', 'protein', 'mutation'],
    passages: [
      {
        heading: 'What DNA is',
        text: `DNA, short for deoxyribonucleic acid, is the molecule that carries genetic information in all
          known living organisms. It holds the instructions for building and running a cell. DNA is passed from
          parents to offspring, which is one reason children resemble their parents. In eukaryotic cells, most of
          the DNA is in the nucleus, packed into structures called chromosomes. Humans have 46 chromosomes in most
          body cells, arranged in 23 pairs, with one chromosome of each pair coming from each parent.`,
      },
      {
        heading: 'The double helix',
        text: `A DNA molecule has the shape of a double helix, like a twisted ladder. The sides of the ladder are
          made of alternating sugar and phosphate groups. Each rung is a pair of chemical bases. There are four
          bases, called adenine, thymine, guanine and cytosine, often written as A, T, G and C. Adenine always pairs
          with thymine, and guanine always pairs with cytosine. Because of this pairing rule, each strand can serve
          as a template for building the other, which is how DNA is copied before a cell divides.`,
      },
      {
        heading: 'Genes',
        text: `A gene is a segment of DNA that contains the instructions for making a particular product, usually
          a protein. The order of the bases in a gene works like a code. Humans have roughly 20,000 genes that code
          for proteins, yet these genes make up only a small percentage of the total DNA. Proteins do most of the
          work in cells. They build structures, speed up chemical reactions as enzymes, carry signals and much
          more. Differences in genes help explain differences in traits such as eye color and blood type.`,
      },
      {
        heading: 'From gene to protein',
        text: `A cell uses a gene in two main steps. In transcription, the cell copies the DNA sequence of the
          gene into a molecule of messenger RNA. The messenger RNA then travels to a ribosome. In translation, the
          ribosome reads the messenger RNA three bases at a time. Each group of three bases, called a codon,
          specifies one amino acid. The ribosome links the amino acids in order to build a protein chain, which
          then folds into its working shape.`,
      },
      {
        heading: 'Mutations',
        text: `A mutation is a change in the sequence of DNA. Mutations can happen by accident when DNA is copied,
          or they can be caused by radiation or certain chemicals. Many mutations have no noticeable effect. Some
          are harmful, such as the single base change that causes sickle cell disease. A few turn out to be helpful
          in a particular environment. Mutations in reproductive cells can be passed to offspring, and over many
          generations they provide the variation on which evolution acts.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that one gene controls each trait. Some traits do depend mostly on a
          single gene, but many traits, such as height, are influenced by many genes working together along with
          the environment. Another misconception is that different cells in your body contain different DNA.
          Almost every cell in your body carries the same DNA. Cells differ because they switch different genes on
          and off, so a muscle cell and a nerve cell use different parts of the same instructions.`,
      },
    ],
  },
  {
    slug: 'natural-selection',
    title: 'Natural Selection',
    chapter: 'Evolution',
    objectives: [
      'Explain the conditions needed for natural selection.',
      'Describe an example of natural selection in a real population.',
      'Distinguish natural selection from changes within one lifetime.',
    ],
    keyTerms: ['natural selection', 'variation', 'adaptation', 'fitness', 'evolution', 'population'],
    passages: [
      {
        heading: 'The idea',
        text: `Natural selection is a process in which individuals with traits better suited to their environment
          tend to survive and reproduce more than others. Charles Darwin and Alfred Russel Wallace proposed it in
          1858 as a main cause of evolution. Over many generations, helpful inherited traits become more common in
          a population, and less helpful ones become rarer. As a result, populations become adapted to their
          environments. Darwin supported the idea with evidence from fossils, from the breeding of farm animals and
          pigeons, and from his voyage around the world on the ship Beagle.`,
      },
      {
        heading: 'Four conditions',
        text: `Natural selection happens when four conditions are met. First, individuals in a population vary in
          their traits. Second, at least some of this variation is inherited, passed from parents to offspring
          through genes. Third, more offspring are produced than the environment can support, so individuals
          compete for limited resources. Fourth, individuals with certain traits survive and reproduce more
          successfully than others. When all four conditions are present, the population changes over time.`,
      },
      {
        heading: 'Fitness and adaptation',
        text: `In biology, fitness means how well an organism survives and reproduces in its environment compared
          with others. It does not mean physical strength. A small, well-camouflaged insect may have higher fitness
          than a large, easily spotted one. An adaptation is an inherited trait that increases fitness, such as the
          thick fur of an arctic fox. Because environments differ and change, a trait that is an advantage in one
          place may be a disadvantage in another.`,
      },
      {
        heading: 'Examples',
        text: `The peppered moth in England is a classic example of natural selection. Before the industrial era,
          most of these moths were light colored and blended in with pale tree bark. As soot from factories
          darkened the trees, dark moths became harder for birds to spot, and they became much more common. When
          air pollution was reduced, light moths became common again. Today, bacteria evolving resistance to
          antibiotics show the same process happening quickly, because bacteria can reproduce in less than an
          hour.`,
      },
      {
        heading: "Darwin's finches",
        text: `On the Galapagos Islands, scientists have measured natural selection in finches. During a severe
          drought in 1977, small, soft seeds became scarce, and mostly large, hard seeds remained. Finches with
          deeper, stronger beaks could crack these seeds and were more likely to survive. Because beak size is
          inherited, the offspring of the survivors had measurably deeper beaks on average. This long-term study by
          Peter and Rosemary Grant showed that selection can change a population within a few generations.`,
      },
      {
        heading: 'Common misconceptions',
        text: `One common misconception is that individuals evolve. An individual cannot change its genes to fit
          its environment. Instead, populations change over generations as the proportions of inherited traits
          shift. Another misconception is that organisms develop traits because they need them. Variation arises
          first, through mutation and the mixing of genes, and selection then favors the variants that happen to
          work better. Natural selection has no goal or plan. It can only
          work with the variation that already exists in a population.`,
      },
    ],
  },
]);
