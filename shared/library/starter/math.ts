import { defineStarterBook } from './define.js';

/**
 * Starter math: original text written for Vividly, CC BY 4.0. Formulas are written the way they are
 * read aloud ("a squared plus b squared equals c squared"), because every passage may be narrated.
 */
export const MATH = defineStarterBook('math', [
  {
    slug: 'linear-equations-and-slope',
    title: 'Linear Equations and Slope',
    chapter: 'Algebra',
    objectives: [
      'Interpret slope as a rate of change.',
      'Find the slope of a line through two points.',
      'Write the equation of a line in slope-intercept form.',
    ],
    keyTerms: ['slope', 'y-intercept', 'slope-intercept form', 'rate of change', 'linear equation'],
    passages: [
      {
        heading: 'What slope means',
        text: `The slope of a line measures how steep it is. It tells how much the y value changes for each
          increase of one unit in the x value. Slope is often described as rise over run, the vertical change
          divided by the horizontal change. A positive slope means the line goes up from left to right, and a
          negative slope means it goes down. A slope of zero means the line is flat. A vertical line has an
          undefined slope, because its run is zero.`,
      },
      {
        heading: 'Finding slope from two points',
        text: `To find the slope between two points, subtract their y values and divide by the difference of
          their x values, taken in the same order. Take the point where x is 1 and y is 2, and the point where x
          is 4 and y is 11. The change in y is 11 minus 2, which is 9. The change in x is 4 minus 1, which is 3.
          The slope is 9 divided by 3, which equals 3. It does not matter which point you use first, as long as you
          use the same order on the top and the bottom of the fraction.`,
      },
      {
        heading: 'Slope-intercept form',
        text: `A linear equation can be written in slope-intercept form, y equals m x plus b. Here m is the slope
          and b is the y-intercept, the value of y where the line crosses the y axis. In the equation y equals 2 x
          plus 3, the slope is 2 and the line crosses the y axis at 3. To graph it, start at 3 on the y axis, then
          move 1 unit to the right and 2 units up to find the next point. Connecting the points gives a straight
          line.`,
      },
      {
        heading: 'Slope as a rate of change',
        text: `In real situations, slope is a rate of change. Suppose a taxi charges a 3 dollar starting fee plus
          2 dollars per mile. The cost is then y equals 2 x plus 3, where x is the number of miles driven. The
          slope, 2 dollars per mile, tells how fast the cost rises. The y-intercept, 3 dollars, is the cost before
          the taxi moves at all. Speed is another rate of change. On a graph of distance against time, the slope of
          the line is the speed.`,
      },
      {
        heading: 'Worked example',
        text: `A phone plan costs 15 dollars a month plus 5 dollars for each gigabyte of data. We want an equation
          for the monthly cost and the cost of using 4 gigabytes. The rate is 5 dollars per gigabyte, so the slope
          is 5. The fixed cost is 15 dollars, so the y-intercept is 15. The equation is y equals 5 x plus 15.
          Substituting 4 for x gives 5 times 4 plus 15, which is 35 dollars. Each extra gigabyte adds exactly 5
          dollars, which is what a constant slope means.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common mistake is to divide the change in x by the change in y, which turns the slope upside
          down. Remember that slope is rise over run, so the change in y goes on top. Another mistake is to judge
          slope by how steep a line looks. The appearance depends on the scale of the axes, so always compute the
          slope from the numbers. Finally, a negative slope does not describe a smaller line. It describes a line
          that falls as x increases.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`m = \frac{y_2 - y_1}{x_2 - x_1}`,
          say: 'm equals y 2 minus y 1, over x 2 minus x 1',
          context: `To find the slope between two points, subtract their y values and divide by the difference of
            their x values, taken in the same order.`,
          label: 'slope formula',
        },
        {
          tex: String.raw`y = mx + b`,
          say: 'y equals m x plus b',
          context: 'A linear equation can be written in slope-intercept form, y equals m x plus b.',
          label: 'slope-intercept form',
        },
      ],
      examples: [
        {
          title: 'A phone plan',
          problem: `A phone plan costs 15 dollars a month plus 5 dollars for each gigabyte of data. Write an equation
            for the monthly cost and find the cost of using 4 gigabytes.`,
          steps: [
            { text: 'The rate is 5 dollars per gigabyte, so the slope is 5.' },
            { text: 'The fixed cost is 15 dollars, so the y-intercept is 15.' },
            { text: 'Put them into slope-intercept form.', tex: String.raw`y = 5x + 15`, say: 'y equals 5 x plus 15' },
            {
              text: 'Substitute 4 for x.',
              tex: String.raw`y = 5 \cdot 4 + 15 = 35`,
              say: 'y equals 5 times 4 plus 15, which is 35',
            },
            { text: 'Using 4 gigabytes costs 35 dollars.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'What is the slope of the line through the points (0, 1) and (2, 7)?',
          answer: '3, because the change in y is 7 minus 1, or 6, the change in x is 2 minus 0, or 2, and 6 divided by 2 is 3.',
        },
      ],
      glossary: [
        { term: 'slope', definition: 'How steep a line is: the change in y for each increase of one unit in x, or rise over run.' },
        { term: 'y-intercept', definition: 'The value of y where a line crosses the y axis.' },
        { term: 'slope-intercept form', definition: 'The form y equals m x plus b of a linear equation, where m is the slope and b is the y-intercept.' },
        { term: 'rate of change', definition: 'How fast one quantity changes compared with another, which is the slope of a line.' },
        { term: 'linear equation', definition: 'An equation whose graph is a straight line.' },
      ],
    },
  },
  {
    slug: 'pythagorean-theorem',
    title: 'The Pythagorean Theorem',
    chapter: 'Geometry',
    objectives: [
      'State the Pythagorean theorem for a right triangle.',
      'Find a missing side length of a right triangle.',
      'Use the converse of the theorem to test whether a triangle is a right triangle.',
    ],
    keyTerms: ['Pythagorean theorem', 'right triangle', 'hypotenuse', 'leg', 'Pythagorean triple'],
    passages: [
      {
        heading: 'What the theorem says',
        text: `The Pythagorean theorem describes a special relationship among the sides of every right triangle.
          A right triangle has one angle of exactly 90 degrees. The two sides that form the right angle are called
          the legs, and the longest side, opposite the right angle, is called the hypotenuse. The theorem says that
          if the legs have lengths a and b and the hypotenuse has length c, then a squared plus b squared equals c
          squared. The relationship holds only for right triangles.`,
      },
      {
        heading: 'Why it is true',
        text: `One way to see why the theorem works uses areas. Build a square on each side of a right triangle.
          The area of the square on the hypotenuse is exactly equal to the areas of the two smaller squares added
          together. A classic proof arranges four copies of the triangle inside a large square in two different
          ways, and comparing the leftover areas shows that c squared must equal a squared plus b squared. The
          theorem is named after the Greek thinker Pythagoras, although Babylonian mathematicians used the
          relationship more than a thousand years before him.`,
      },
      {
        heading: 'Finding the hypotenuse',
        text: `To find the hypotenuse, square both legs, add the results, and take the square root. For a
          triangle with legs of 3 and 4, three squared is 9 and four squared is 16. Adding them gives 25, and the
          square root of 25 is 5, so the hypotenuse is 5. Sets of whole numbers like 3, 4 and 5 are called
          Pythagorean triples. Other examples are 5, 12 and 13, and 8, 15 and 17. Any whole number multiple of a
          triple, such as 6, 8 and 10, is also a triple.`,
      },
      {
        heading: 'Finding a missing leg',
        text: `If you know the hypotenuse and one leg, subtract instead of adding. Suppose a ladder 13 feet long
          leans against a wall, and its base is 5 feet from the wall. The ladder is the hypotenuse. Thirteen squared
          is 169 and five squared is 25. Subtracting gives 144, and the square root of 144 is 12. So the top of the
          ladder reaches 12 feet up the wall. A good check is that the hypotenuse must always be the longest side
          of the triangle.`,
      },
      {
        heading: 'Real-world uses',
        text: `The theorem appears wherever right angles do. Builders use the 3, 4, 5 rule to check that corners
          are square. They measure 3 units along one wall and 4 units along the other, and if the diagonal between
          those marks is exactly 5 units, the corner is a right angle. Television and phone screens are measured
          along the diagonal, which the theorem connects to the width and height. On a map, the straight-line
          distance between two places can be found from the east-west and north-south distances between them.`,
      },
      {
        heading: 'The converse',
        text: `The converse of the theorem is also true. If the sides of a triangle satisfy a squared plus b
          squared equals c squared, where c is the longest side, then the triangle must be a right triangle. If a
          squared plus b squared is greater than c squared, the largest angle is acute, smaller than 90 degrees. If
          it is less than c squared, the largest angle is obtuse, larger than 90 degrees. This gives a quick way to
          classify a triangle from its side lengths alone.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A frequent mistake is to use the theorem on a triangle that has no right angle. Another is to add
          the squares of the hypotenuse and a leg, when the hypotenuse should be alone on one side of the equation.
          Students also sometimes forget the last step and give c squared as the answer instead of c. If the legs
          are 6 and 8, then c squared is 100, but the hypotenuse is 10, not 100.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`a^2 + b^2 = c^2`,
          say: 'a squared plus b squared equals c squared',
          context: `If the legs have lengths a and b and the hypotenuse has length c, then a squared plus b squared
            equals c squared.`,
          label: 'Pythagorean theorem',
        },
        {
          tex: String.raw`c = \sqrt{a^2 + b^2}`,
          say: 'c equals the square root of a squared plus b squared',
          context: 'To find the hypotenuse, square both legs, add the results, and take the square root.',
        },
      ],
      examples: [
        {
          title: 'How high does the ladder reach?',
          problem: `A ladder 13 feet long leans against a wall, and its base is 5 feet from the wall. How high up the
            wall does the ladder reach?`,
          steps: [
            { text: 'The ladder is the hypotenuse, so c is 13 and one leg, a, is 5.' },
            {
              text: 'Put the known lengths into the theorem.',
              tex: String.raw`5^2 + b^2 = 13^2 \quad\Rightarrow\quad 25 + b^2 = 169`,
              say: '5 squared plus b squared equals 13 squared, so 25 plus b squared equals 169',
            },
            { text: 'Subtract 25 from both sides.', tex: String.raw`b^2 = 144`, say: 'b squared equals 144' },
            { text: 'Take the square root.', tex: String.raw`b = 12`, say: 'b equals 12' },
            { text: 'The top of the ladder reaches 12 feet up the wall.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'A right triangle has legs of 6 and 8. How long is its hypotenuse?',
          answer: '10, because 6 squared plus 8 squared is 36 plus 64, or 100, and the square root of 100 is 10.',
        },
      ],
      glossary: [
        { term: 'Pythagorean theorem', definition: 'In a right triangle with legs a and b and hypotenuse c, a squared plus b squared equals c squared.' },
        { term: 'right triangle', definition: 'A triangle with one angle of exactly 90 degrees.' },
        { term: 'hypotenuse', definition: 'The longest side of a right triangle, opposite the right angle.' },
        { term: 'leg', definition: 'One of the two sides of a right triangle that form the right angle.' },
        { term: 'Pythagorean triple', definition: 'Three whole numbers, such as 3, 4 and 5, that fit the Pythagorean theorem.' },
      ],
    },
  },
  {
    slug: 'quadratic-equations',
    title: 'Quadratic Equations',
    chapter: 'Algebra',
    objectives: [
      'Recognize a quadratic equation in standard form.',
      'Solve quadratic equations by factoring and with the quadratic formula.',
      'Use the discriminant to predict the number of real solutions.',
    ],
    keyTerms: ['quadratic equation', 'parabola', 'factoring', 'quadratic formula', 'discriminant', 'root'],
    passages: [
      {
        heading: 'What a quadratic equation is',
        text: `A quadratic equation is an equation in which the highest power of the variable is two. In standard
          form it is written as a x squared plus b x plus c equals zero, where a, b and c are numbers and a is not
          zero. The graph of a quadratic function is a U-shaped curve called a parabola. The solutions of the
          equation, also called roots, are the x values where the parabola crosses the x axis. A quadratic equation
          can have two real solutions, one, or none.`,
      },
      {
        heading: 'Solving by factoring',
        text: `Some quadratic equations can be solved by factoring. The method relies on the zero product
          property, which says that if two numbers multiply to zero, at least one of them must be zero. Take x
          squared minus 5 x plus 6 equals zero. Look for two numbers that multiply to 6 and add to negative 5.
          Those numbers are negative 2 and negative 3, so the equation becomes x minus 2, times x minus 3, equals
          zero. The solutions are x equals 2 and x equals 3.`,
      },
      {
        heading: 'The quadratic formula',
        text: `When factoring is hard, the quadratic formula always works. It says that x equals negative b, plus
          or minus the square root of b squared minus 4 a c, all divided by 2 a. The plus or minus sign gives two
          answers, one for each choice of sign. To use the formula, first write the equation in standard form, then
          identify a, b and c carefully, including their signs. Substituting and simplifying gives the solutions,
          even when they are not whole numbers.`,
      },
      {
        heading: 'The discriminant',
        text: `The expression under the square root, b squared minus 4 a c, is called the discriminant. It
          predicts how many real solutions the equation has without solving it. If the discriminant is positive,
          there are two real solutions, and the parabola crosses the x axis twice. If it is zero, there is exactly
          one real solution, and the parabola just touches the axis. If it is negative, there are no real
          solutions, because no real number squared gives a negative result.`,
      },
      {
        heading: 'Worked example',
        text: `Let us solve 2 x squared plus 3 x minus 2 equals zero with the quadratic formula. Here a is 2, b is
          3 and c is negative 2. The discriminant is 3 squared minus 4 times 2 times negative 2, which is 9 plus 16,
          or 25. The square root of 25 is 5. So x equals negative 3 plus or minus 5, all divided by 4. Taking the
          plus sign gives 2 divided by 4, or one half. Taking the minus sign gives negative 8 divided by 4, or
          negative 2.`,
      },
      {
        heading: 'Where quadratics appear',
        text: `Quadratic equations describe many real situations. When you throw a ball, its height over time
          follows a parabola, and solving a quadratic equation tells you when it lands. Businesses use quadratics
          to find the price that gives the greatest profit, which sits at the vertex of a parabola. Engineers use
          parabolic shapes in satellite dishes and car headlights, because a parabolic mirror reflects incoming
          parallel rays to a single point called the focus.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common error is to try factoring before one side of the equation equals zero. The zero product
          property only works when one side is zero. Another error is to lose a negative sign when substituting
          into the quadratic formula, especially when b is negative. Students also sometimes divide both sides by
          x, which can throw away the solution x equals zero. Checking each answer by substituting it back into the
          original equation catches most of these mistakes.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`ax^2 + bx + c = 0`,
          say: 'a x squared plus b x plus c equals 0',
          context: `In standard form it is written as a x squared plus b x plus c equals zero, where a, b and c are
            numbers and a is not zero.`,
          label: 'standard form',
        },
        {
          tex: String.raw`x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}`,
          say: 'x equals minus b plus or minus the square root of b squared minus 4 a c, all over 2 a',
          context: 'When factoring is hard, the quadratic formula always works.',
          label: 'quadratic formula',
        },
        {
          tex: String.raw`b^2 - 4ac`,
          say: 'b squared minus 4 a c',
          context: 'The expression under the square root, b squared minus 4 a c, is called the discriminant.',
          label: 'discriminant',
        },
      ],
      examples: [
        {
          title: 'Using the quadratic formula',
          problem: 'Solve 2 x squared plus 3 x minus 2 equals zero with the quadratic formula.',
          steps: [
            { text: 'Here a is 2, b is 3 and c is negative 2.' },
            {
              text: 'Find the discriminant.',
              tex: String.raw`b^2 - 4ac = 3^2 - 4(2)(-2) = 9 + 16 = 25`,
              say: 'b squared minus 4 a c equals 3 squared minus 4 times 2 times negative 2, which is 9 plus 16, or 25',
            },
            {
              text: 'The square root of 25 is 5, so the formula gives',
              tex: String.raw`x = \frac{-3 \pm 5}{4}`,
              say: 'x equals negative 3 plus or minus 5, all over 4',
            },
            {
              text: 'Taking the plus sign gives one half, and taking the minus sign gives negative 2.',
              tex: String.raw`x = \frac{2}{4} = \frac{1}{2} \quad\text{or}\quad x = \frac{-8}{4} = -2`,
              say: 'x equals 2 over 4, or one half, or x equals negative 8 over 4, or negative 2',
            },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'Solve x squared minus 5 x plus 6 equals zero.',
          answer: 'x equals 2 or x equals 3, because the equation factors as x minus 2, times x minus 3, equals zero.',
        },
      ],
      glossary: [
        { term: 'quadratic equation', definition: 'An equation in which the highest power of the variable is two, written in standard form as a x squared plus b x plus c equals zero.' },
        { term: 'parabola', definition: 'The U-shaped curve that is the graph of a quadratic function.' },
        { term: 'factoring', definition: 'Writing an expression as a product, so that the zero product property can give the solutions.' },
        { term: 'quadratic formula', definition: 'x equals negative b, plus or minus the square root of b squared minus 4 a c, all divided by 2 a.' },
        { term: 'discriminant', definition: 'The expression b squared minus 4 a c, which tells how many real solutions a quadratic equation has.' },
        { term: 'root', definition: 'A solution of an equation; for a quadratic, an x value where the parabola crosses the x axis.' },
      ],
    },
  },
  {
    slug: 'probability',
    title: 'Probability',
    chapter: 'Statistics and Probability',
    objectives: [
      'Calculate the probability of a simple event.',
      'Distinguish theoretical probability from experimental probability.',
      'Find the probability that two independent events both happen.',
    ],
    keyTerms: ['probability', 'outcome', 'sample space', 'independent events', 'experimental probability'],
    passages: [
      {
        heading: 'What probability measures',
        text: `Probability measures how likely an event is to happen. It is a number from 0 to 1, where 0 means
          the event is impossible and 1 means it is certain. A probability of one half means the event is as likely
          to happen as not. Probabilities can also be written as percentages, so one half is the same as 50
          percent. The set of all possible outcomes of an experiment is called the sample space, and an event is any
          group of those outcomes.`,
      },
      {
        heading: 'Theoretical probability',
        text: `When all outcomes are equally likely, the theoretical probability of an event equals the number of
          favorable outcomes divided by the total number of outcomes. A fair six-sided die has six equally likely
          outcomes, so the probability of rolling a 4 is one sixth. The probability of rolling an even number is
          three sixths, or one half, because three of the six outcomes are even. The probability that an event does
          not happen is one minus the probability that it does.`,
      },
      {
        heading: 'Experimental probability',
        text: `Experimental probability comes from actually running trials. It equals the number of times an
          event happened divided by the number of trials. If you flip a coin 50 times and get 28 heads, the
          experimental probability of heads is 28 out of 50, or 0.56. The law of large numbers says that as the
          number of trials grows, the experimental probability tends to get closer to the theoretical probability.
          With only a few trials, the results can differ quite a lot just by chance.`,
      },
      {
        heading: 'Independent events',
        text: `Two events are independent if the outcome of one does not change the probability of the other.
          For independent events, the probability that both happen is the product of their probabilities. The
          chance of flipping heads and then rolling a 6 is one half times one sixth, which is one twelfth. When
          events are not independent, you must adjust. The chance of drawing two aces in a row from a deck, without
          putting the first card back, is four fifty-seconds times three fifty-firsts, because the deck has
          changed.`,
      },
      {
        heading: 'Worked example',
        text: `A bag holds 3 red marbles and 5 blue marbles. We draw a marble, put it back, and draw again. What
          is the probability that both marbles are red? There are 8 marbles in all, so the probability of red on
          one draw is three eighths. Because the marble is replaced, the draws are independent. Multiplying three
          eighths by three eighths gives nine sixty-fourths, which is about 14 percent. Without replacement, the
          chance of red on the second draw would be two sevenths instead.`,
      },
      {
        heading: 'Common misconceptions',
        text: `The gambler's fallacy is the belief that past results change future chances for independent
          events. After five heads in a row, many people feel that tails is due. But a fair coin has no memory, and
          the next flip still has a probability of one half. Another misconception is that very unlikely events
          never happen. An event with a one in a million chance will happen fairly often when millions of people
          try it. Probability describes patterns over many trials, not guarantees for a single one.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`P(\text{event}) = \frac{\text{number of favorable outcomes}}{\text{total number of outcomes}}`,
          say: 'P of an event equals the number of favorable outcomes over the total number of outcomes',
          context: `When all outcomes are equally likely, the theoretical probability of an event equals the number of
            favorable outcomes divided by the total number of outcomes.`,
          label: 'theoretical probability',
        },
        {
          tex: String.raw`P(A \text{ and } B) = P(A) \cdot P(B)`,
          say: 'P of A and B equals P of A times P of B',
          context: 'For independent events, the probability that both happen is the product of their probabilities.',
          label: 'independent events',
        },
      ],
      examples: [
        {
          title: 'Two red marbles',
          problem: `A bag holds 3 red marbles and 5 blue marbles. We draw a marble, put it back, and draw again. What is
            the probability that both marbles are red?`,
          steps: [
            { text: 'There are 8 marbles in all, so the probability of red on one draw is three eighths.' },
            { text: 'Because the marble is replaced, the two draws are independent.' },
            {
              text: 'Multiply the probabilities of the two draws.',
              tex: String.raw`\frac{3}{8} \cdot \frac{3}{8} = \frac{9}{64} \approx 0.14`,
              say: 'three eighths times three eighths equals nine sixty-fourths, about 0.14',
            },
            { text: 'The probability that both marbles are red is nine sixty-fourths, about 14 percent.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'What is the probability of rolling an even number on a fair six-sided die?',
          answer: 'One half, because three of the six equally likely outcomes are even.',
        },
      ],
      glossary: [
        { term: 'probability', definition: 'A number from 0 to 1 that measures how likely an event is to happen.' },
        { term: 'outcome', definition: 'One possible result of an experiment, such as rolling a 4 on a die.' },
        { term: 'sample space', definition: 'The set of all possible outcomes of an experiment.' },
        { term: 'independent events', definition: 'Events where the outcome of one does not change the probability of the other.' },
        { term: 'experimental probability', definition: 'The number of times an event happened divided by the number of trials.' },
      ],
    },
  },
]);
