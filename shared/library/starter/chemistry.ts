import { defineStarterBook } from './define.js';

/** Starter chemistry: original text written for Vividly, CC BY 4.0. */
export const CHEMISTRY = defineStarterBook('chemistry', [
  {
    slug: 'atoms-and-the-periodic-table',
    title: 'Atoms and the Periodic Table',
    chapter: 'Matter and Atoms',
    objectives: [
      'Describe the structure of an atom.',
      'Explain what the atomic number of an element tells you.',
      'Use the periodic table to predict the properties of elements.',
    ],
    keyTerms: ['atom', 'proton', 'neutron', 'electron', 'atomic number', 'periodic table'],
    passages: [
      {
        heading: 'Inside the atom',
        text: `All matter is made of tiny particles called atoms. An atom has a small, dense nucleus at its
          center, which contains protons and neutrons. Protons carry a positive electric charge, and neutrons carry
          no charge. Electrons, which carry a negative charge, move around the nucleus in regions called orbitals.
          A neutral atom has the same number of electrons as protons, so the charges balance. Almost all of an
          atom's mass is in the nucleus, yet the nucleus takes up only a tiny fraction of the atom's volume.`,
      },
      {
        heading: 'Atomic number and isotopes',
        text: `The number of protons in the nucleus is called the atomic number, and it identifies the element.
          Every carbon atom has 6 protons, and every oxygen atom has 8. The mass number is the total number of
          protons and neutrons. Atoms of the same element can have different numbers of neutrons, and these
          versions are called isotopes. Carbon 12 has 6 neutrons, while carbon 14 has 8 neutrons. Isotopes of an
          element behave almost the same way in chemical reactions, because they have the same number of
          electrons.`,
      },
      {
        heading: 'How the periodic table is organized',
        text: `The periodic table arranges all known elements in order of increasing atomic number. Each
          horizontal row is called a period, and each vertical column is called a group or family. Elements in the
          same group have similar chemical properties because they have the same number of electrons in their
          outermost shell. These outer electrons are called valence electrons, and they are the ones involved in
          chemical reactions. Dmitri Mendeleev published an early version of the table in 1869 and used it to
          predict elements that had not yet been discovered.`,
      },
      {
        heading: 'Metals, nonmetals and metalloids',
        text: `A zigzag line near the right side of the periodic table divides the metals from the nonmetals.
          Metals, on the left and in the middle, are usually shiny, conduct heat and electricity well, and can be
          bent or hammered into shape. Nonmetals, on the right, are often gases or brittle solids that conduct
          poorly. Metalloids, found along the zigzag line, have properties in between. Silicon is a metalloid, and
          its in-between ability to conduct electricity makes it the basis of computer chips.`,
      },
      {
        heading: 'Families of elements',
        text: `Some groups of the periodic table have special names. The alkali metals in group 1, such as
          sodium and potassium, have one valence electron and react vigorously with water. The halogens in group
          17, such as fluorine and chlorine, need just one more electron to fill their outer shell, so they are
          very reactive nonmetals. The noble gases in group 18, such as helium and neon, already have full outer
          shells. As a result they rarely react with anything, which is why helium is safe to use in balloons.`,
      },
      {
        heading: 'Common misconceptions',
        text: `Pictures often show electrons circling the nucleus like planets around the Sun. That model is
          useful, but it is not accurate. Electrons do not follow fixed paths. Instead, scientists describe regions
          where an electron is likely to be found. Another misconception is that atoms are mostly solid. If an atom
          were the size of a football stadium, its nucleus would be about the size of a small marble at the center,
          and the rest of the atom would be mostly empty space.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`A = Z + N`,
          say: 'A equals Z plus N',
          context: `The mass number is the total number of protons and neutrons: A is the mass number, Z the atomic
            number and N the number of neutrons.`,
          label: 'mass number',
        },
      ],
      examples: [
        {
          title: 'Neutrons in carbon 14',
          problem: 'Carbon has atomic number 6. How many neutrons are in an atom of carbon 14?',
          steps: [
            { text: 'The atomic number gives the number of protons, so carbon 14 has 6 protons.' },
            { text: 'The mass number, 14, is the total number of protons and neutrons.' },
            {
              text: 'Subtract the protons from the mass number.',
              tex: String.raw`N = A - Z = 14 - 6 = 8`,
              say: 'N equals A minus Z, which is 14 minus 6, or 8',
            },
            { text: 'An atom of carbon 14 has 8 neutrons.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'Carbon has atomic number 6. How many neutrons does an atom of carbon 12 have?',
          answer: '6, because the mass number 12 minus the 6 protons leaves 6 neutrons.',
        },
      ],
      glossary: [
        { term: 'atom', definition: 'The tiny particle that all matter is made of, with a dense nucleus of protons and neutrons surrounded by electrons.' },
        { term: 'proton', definition: 'A particle in the nucleus of an atom with a positive electric charge.' },
        { term: 'neutron', definition: 'A particle in the nucleus of an atom with no electric charge.' },
        { term: 'electron', definition: 'A particle with a negative electric charge that moves around the nucleus of an atom.' },
        { term: 'atomic number', definition: 'The number of protons in the nucleus of an atom, which identifies the element.' },
        { term: 'periodic table', definition: `The arrangement of all known elements in order of increasing atomic number,
          in rows called periods and columns called groups.` },
      ],
    },
  },
  {
    slug: 'chemical-bonds',
    title: 'Chemical Bonds',
    chapter: 'Bonding',
    objectives: [
      'Explain why atoms form chemical bonds.',
      'Compare ionic, covalent and metallic bonds.',
      'Predict the type of bond that forms between two elements.',
    ],
    keyTerms: ['chemical bond', 'ionic bond', 'covalent bond', 'metallic bond', 'valence electron', 'electronegativity'],
    passages: [
      {
        heading: 'Why atoms bond',
        text: `Atoms form chemical bonds because bonded atoms are more stable, with lower energy, than separate
          atoms. Bonding involves the valence electrons, the electrons in an atom's outermost shell. Many atoms are
          especially stable when their outer shell holds eight electrons, an idea known as the octet rule. Atoms
          can reach a stable arrangement by transferring electrons to other atoms or by sharing electrons with
          them. The way the electrons are transferred or shared determines the type of bond.`,
      },
      {
        heading: 'Ionic bonds',
        text: `An ionic bond forms when one atom transfers one or more electrons to another atom. This usually
          happens between a metal and a nonmetal. In table salt, each sodium atom gives one electron to a chlorine
          atom. The sodium becomes a positive ion, and the chlorine becomes a negative ion called chloride.
          Opposite charges attract strongly, so the ions pack together into a repeating crystal. Ionic compounds
          tend to have high melting points, and they conduct electricity when melted or dissolved in water,
          because the ions can then move.`,
      },
      {
        heading: 'Covalent bonds',
        text: `A covalent bond forms when two atoms share a pair of electrons. This usually happens between two
          nonmetals. In a water molecule, the oxygen atom shares one pair of electrons with each of two hydrogen
          atoms. Atoms can also share two pairs of electrons, making a double bond, or three pairs, making a triple
          bond. The two oxygen atoms in the oxygen gas we breathe are joined by a double bond. Covalent substances
          are often gases, liquids or soft solids with fairly low melting points.`,
      },
      {
        heading: 'Polar and nonpolar bonds',
        text: `Atoms do not always share electrons equally. Electronegativity measures how strongly an atom pulls
          on shared electrons. When two atoms with different electronegativities bond, the shared electrons spend
          more time near the atom that pulls harder. That atom gets a slight negative charge, and the other gets a
          slight positive charge, forming a polar covalent bond. In water, oxygen pulls harder than hydrogen, which
          makes water a polar molecule. Polarity helps explain why water dissolves salt and sugar but does not mix
          with oil.`,
      },
      {
        heading: 'Metallic bonds',
        text: `In a metal, the atoms release their valence electrons into a shared sea of electrons that moves
          freely through the whole solid. The positive metal ions are held together by their attraction to this
          electron sea. Because the electrons can move, metals conduct electricity and heat well. Because the ions
          can slide past each other without breaking the bonding, metals can be hammered into sheets or drawn into
          wires. The copper wiring in a home depends on both of these properties.`,
      },
      {
        heading: 'Predicting the type of bond',
        text: `A quick rule helps predict the type of bond from the elements involved. A metal bonded to a
          nonmetal usually forms an ionic bond, as in sodium chloride or calcium oxide. Two nonmetals usually form a
          covalent bond, as in carbon dioxide or methane. Atoms of a metal bonded to each other form metallic bonds,
          as in a copper wire or an iron nail. In general, the larger the difference in electronegativity between
          two atoms, the more ionic the bond between them.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that a bond is a physical stick, like the ones in a model kit. A bond is
          really an attraction involving electrons and nuclei. Another misconception is that breaking bonds
          releases energy. In fact, breaking a bond always takes energy, and forming a bond releases energy. When a
          fuel burns, more energy is released by forming the bonds in the products than was needed to break the
          bonds in the fuel and oxygen.`,
      },
    ],
    materials: {
      examples: [
        {
          title: 'Predicting a bond type',
          problem: 'What type of bond forms between calcium and oxygen in calcium oxide?',
          steps: [
            { text: 'Calcium is a metal, on the left side of the periodic table.' },
            { text: 'Oxygen is a nonmetal, on the right side of the periodic table.' },
            { text: `A metal bonded to a nonmetal usually forms an ionic bond, so calcium transfers electrons to oxygen
              and the two ions attract each other.` },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'What type of bond joins the two oxygen atoms in the oxygen gas we breathe?',
          answer: 'A covalent double bond, in which the two atoms share two pairs of electrons.',
        },
      ],
      glossary: [
        { term: 'chemical bond', definition: 'An attraction involving electrons and nuclei that holds atoms together.' },
        { term: 'ionic bond', definition: 'A bond formed when one atom transfers electrons to another, so that oppositely charged ions attract.' },
        { term: 'covalent bond', definition: 'A bond formed when two atoms share a pair of electrons.' },
        { term: 'metallic bond', definition: 'The attraction between positive metal ions and a shared sea of electrons that moves freely through a metal.' },
        { term: 'valence electron', definition: "An electron in an atom's outermost shell, the kind involved in chemical bonding." },
        { term: 'electronegativity', definition: 'A measure of how strongly an atom pulls on shared electrons.' },
      ],
    },
  },
  {
    slug: 'balancing-chemical-equations',
    title: 'Balancing Chemical Equations',
    chapter: 'Chemical Reactions',
    objectives: [
      'Identify the reactants and products in a chemical equation.',
      'Explain how the law of conservation of mass applies to chemical reactions.',
      'Balance a simple chemical equation using coefficients.',
    ],
    keyTerms: ['chemical equation', 'reactant', 'product', 'coefficient', 'subscript', 'conservation of mass'],
    passages: [
      {
        heading: 'What a chemical equation shows',
        text: `A chemical equation is a short way to describe a chemical reaction. The starting substances,
          called reactants, are written on the left. The new substances, called products, are written on the
          right. An arrow between them means yields or produces. Each substance is written as a chemical formula.
          In a formula, small numbers called subscripts tell how many atoms of each element are in one molecule or
          unit. The formula for water, for instance, shows two hydrogen atoms and one oxygen atom.`,
      },
      {
        heading: 'Conservation of mass',
        text: `Equations must be balanced because of the law of conservation of mass. In an ordinary chemical
          reaction, atoms are not created or destroyed. They are only rearranged into new combinations. That means
          every atom present in the reactants must also appear in the products. The French chemist Antoine
          Lavoisier showed this in the 1700s by carefully weighing substances before and after reactions in closed
          containers. The total mass stayed the same, even when gases were produced or used up.`,
      },
      {
        heading: 'Coefficients and subscripts',
        text: `To balance an equation, you change only the coefficients. A coefficient is a whole number written
          in front of a formula, and it multiplies everything in that formula. Writing 2 in front of water means
          two molecules of water, which contain four hydrogen atoms and two oxygen atoms. You must never change a
          subscript to balance an equation, because changing a subscript changes the substance itself. Adding an
          extra oxygen atom to water, for instance, would describe hydrogen peroxide, a completely different
          chemical.`,
      },
      {
        heading: 'A step-by-step method',
        text: `Balancing is a careful counting process. First, write the correct formulas for all the reactants
          and products. Second, count the atoms of each element on both sides. Third, add coefficients one element
          at a time, often starting with an element that appears in only one reactant and one product. It usually
          helps to leave hydrogen and oxygen for later if they appear in several substances. Finally, recount every
          element to check that both sides match, and make sure the coefficients are in the lowest whole number
          ratio.`,
      },
      {
        heading: 'Worked example',
        text: `Hydrogen gas reacts with oxygen gas to make water. Hydrogen gas is made of molecules with two
          hydrogen atoms, and oxygen gas is made of molecules with two oxygen atoms. Before balancing, the equation
          has two oxygen atoms on the left but only one in a single water molecule on the right. Putting a 2 in
          front of water balances the oxygen. Now there are four hydrogen atoms on the right, so we put a 2 in front
          of hydrogen as well. The balanced result is two hydrogen molecules plus one oxygen molecule yields two
          water molecules.`,
      },
      {
        heading: 'Another example',
        text: `Methane, the main part of natural gas, burns in oxygen to make carbon dioxide and water. Each
          methane molecule has one carbon atom and four hydrogen atoms. Carbon is already balanced, with one atom
          on each side. The four hydrogen atoms need two water molecules on the right. The right side now has two
          oxygen atoms in carbon dioxide plus two in the water, for a total of four. Two oxygen molecules on the
          left supply those four atoms, so one methane plus two oxygen yields one carbon dioxide plus two water.`,
      },
      {
        heading: 'Common misconceptions',
        text: `Students sometimes think that balancing means making the number of molecules equal on both sides.
          What must match is the number of atoms of each element, not the number of molecules. Two hydrogen
          molecules and one oxygen molecule make only two water molecules, yet every atom is accounted for. Another
          mistake is to treat coefficients as decoration. Coefficients tell chemists the exact ratio in which
          substances react, which is essential for measuring amounts in a laboratory.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`2\,\mathrm{H_2} + \mathrm{O_2} \rightarrow 2\,\mathrm{H_2O}`,
          say: 'two H 2 plus O 2 yields two H 2 O',
          context: 'The balanced result is two hydrogen molecules plus one oxygen molecule yields two water molecules.',
        },
        {
          tex: String.raw`\mathrm{CH_4} + 2\,\mathrm{O_2} \rightarrow \mathrm{CO_2} + 2\,\mathrm{H_2O}`,
          say: 'C H 4 plus two O 2 yields C O 2 plus two H 2 O',
          context: 'One methane plus two oxygen yields one carbon dioxide plus two water.',
        },
      ],
      examples: [
        {
          title: 'Hydrogen and oxygen make water',
          problem: 'Balance the equation for hydrogen gas reacting with oxygen gas to make water.',
          steps: [
            {
              text: 'Write the correct formulas for the reactants and the product.',
              tex: String.raw`\mathrm{H_2} + \mathrm{O_2} \rightarrow \mathrm{H_2O}`,
              say: 'H 2 plus O 2 yields H 2 O',
            },
            {
              text: 'There are two oxygen atoms on the left but only one on the right, so put a 2 in front of water.',
              tex: String.raw`\mathrm{H_2} + \mathrm{O_2} \rightarrow 2\,\mathrm{H_2O}`,
              say: 'H 2 plus O 2 yields two H 2 O',
            },
            {
              text: 'Now there are four hydrogen atoms on the right, so put a 2 in front of hydrogen as well.',
              tex: String.raw`2\,\mathrm{H_2} + \mathrm{O_2} \rightarrow 2\,\mathrm{H_2O}`,
              say: 'two H 2 plus O 2 yields two H 2 O',
            },
            { text: 'Each side now has four hydrogen atoms and two oxygen atoms, so the equation is balanced.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'Nitrogen gas, N2, reacts with hydrogen gas, H2, to make ammonia, NH3. What is the balanced equation?',
          answer: 'One N2 plus three H2 yields two NH3, which puts two nitrogen atoms and six hydrogen atoms on each side.',
        },
      ],
      glossary: [
        { term: 'chemical equation', definition: 'A short way to describe a chemical reaction, with reactants on the left, products on the right and an arrow between them.' },
        { term: 'reactant', definition: 'A starting substance in a chemical reaction, written on the left of a chemical equation.' },
        { term: 'product', definition: 'A new substance made in a chemical reaction, written on the right of a chemical equation.' },
        { term: 'coefficient', definition: 'A whole number written in front of a formula in a chemical equation, which multiplies everything in that formula.' },
        { term: 'subscript', definition: 'A small number in a chemical formula that tells how many atoms of an element are in one molecule or unit.' },
        { term: 'conservation of mass', definition: 'In a chemical reaction, atoms are not created or destroyed, only rearranged, so the total mass stays the same.' },
      ],
    },
  },
  {
    slug: 'acids-and-bases',
    title: 'Acids and Bases',
    chapter: 'Solutions',
    objectives: [
      'Describe the properties of acids and bases.',
      'Interpret values on the pH scale.',
      'Explain what happens in a neutralization reaction.',
    ],
    keyTerms: ['acid', 'base', 'pH scale', 'neutralization', 'indicator', 'hydrogen ion'],
    passages: [
      {
        heading: 'What acids and bases are',
        text: `Acids and bases are two important families of compounds. In water, an acid releases hydrogen ions,
          which are hydrogen atoms that have lost their electron. A base either releases hydroxide ions or accepts
          hydrogen ions. Acids taste sour, as in lemon juice and vinegar, and many can corrode metals. Bases taste
          bitter and feel slippery, as soap does. You should never taste or touch unknown chemicals in a
          laboratory, because strong acids and strong bases can both cause serious burns.`,
      },
      {
        heading: 'The pH scale',
        text: `Chemists use the pH scale to describe how acidic or basic a solution is. The scale usually runs
          from 0 to 14. A pH of 7 is neutral, which is the value for pure water at room temperature. Values below 7
          are acidic, and values above 7 are basic. The scale is logarithmic, so each step of one unit is a tenfold
          change. A solution with a pH of 3 is ten times more acidic than one with a pH of 4, and one hundred times
          more acidic than one with a pH of 5.`,
      },
      {
        heading: 'Acids and bases in everyday life',
        text: `Acids and bases are part of daily life. Your stomach makes hydrochloric acid, with a pH of about
          1.5 to 3.5, to help digest food. Lemon juice has a pH near 2, black coffee near 5, and milk a little
          below 7. Human blood is slightly basic, kept between about 7.35 and 7.45. Baking soda is a mild base,
          while household ammonia and bleach are stronger bases. Even clean rain is slightly acidic, because carbon
          dioxide from the air dissolves in it to form a weak acid.`,
      },
      {
        heading: 'Strong and weak acids',
        text: `Acids and bases can be strong or weak. A strong acid, such as hydrochloric acid, breaks apart almost
          completely in water and releases all of its hydrogen ions. A weak acid, such as the acetic acid in
          vinegar, releases only a small fraction of them. Strength is not the same as concentration.
          Concentration describes how much acid is dissolved in a given amount of water. A very dilute solution of a
          strong acid can therefore have a higher pH than a concentrated solution of a weak acid.`,
      },
      {
        heading: 'Neutralization',
        text: `When an acid and a base react, they neutralize each other. The hydrogen ions from the acid combine
          with the hydroxide ions from the base to form water. The remaining ions form a compound called a salt.
          Hydrochloric acid and sodium hydroxide, for instance, react to make water and sodium chloride, which is
          ordinary table salt. Antacid tablets use this kind of reaction to relieve heartburn, because a mild base
          in the tablet neutralizes some of the excess stomach acid.`,
      },
      {
        heading: 'Indicators',
        text: `An indicator is a substance that changes color depending on pH. Litmus paper turns red in an acid
          and blue in a base. Universal indicator shows a range of colors, from red for strong acids through green
          for neutral solutions to purple for strong bases. Some indicators come from nature. The juice of red
          cabbage turns pink or red in acids and green or yellow in strongly basic solutions. When chemists need
          precise measurements, they use an electronic pH meter instead.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`\mathrm{HCl} + \mathrm{NaOH} \rightarrow \mathrm{NaCl} + \mathrm{H_2O}`,
          say: 'H C l plus N a O H yields N a C l plus H 2 O',
          context: `Hydrochloric acid and sodium hydroxide react to make water and sodium chloride, which is ordinary
            table salt.`,
          label: 'neutralization',
        },
        {
          tex: String.raw`\mathrm{pH} = -\log_{10}[\mathrm{H^+}]`,
          say: 'p H equals minus the log base 10 of the hydrogen ion concentration',
          context: 'The scale is logarithmic, so each step of one unit is a tenfold change.',
          label: 'pH scale',
        },
      ],
      examples: [
        {
          title: 'Comparing two pH values',
          problem: 'How many times more acidic is a solution with a pH of 3 than a solution with a pH of 5?',
          steps: [
            { text: 'The two pH values differ by 2 units.' },
            { text: 'Each step of one unit on the pH scale is a tenfold change.' },
            {
              text: 'Two steps multiply two factors of ten.',
              tex: String.raw`10 \times 10 = 100`,
              say: '10 times 10 equals 100',
            },
            { text: 'The solution with a pH of 3 is one hundred times more acidic.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'Is a solution with a pH of 9 acidic, basic or neutral?',
          answer: 'Basic, because its pH is above 7.',
        },
      ],
      glossary: [
        { term: 'acid', definition: 'A compound that releases hydrogen ions in water.' },
        { term: 'base', definition: 'A compound that releases hydroxide ions or accepts hydrogen ions in water.' },
        { term: 'pH scale', definition: 'A scale, usually from 0 to 14, that describes how acidic or basic a solution is, with 7 neutral.' },
        { term: 'neutralization', definition: 'The reaction of an acid with a base, in which hydrogen ions and hydroxide ions form water and the other ions form a salt.' },
        { term: 'indicator', definition: 'A substance that changes color depending on pH.' },
        { term: 'hydrogen ion', definition: 'A hydrogen atom that has lost its electron, which acids release in water.' },
      ],
    },
  },
]);
