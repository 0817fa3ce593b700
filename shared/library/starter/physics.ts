import { defineStarterBook } from './define.js';

/** Starter physics: original text written for Vividly, CC BY 4.0. */
export const PHYSICS = defineStarterBook('physics', [
  {
    slug: 'newtons-third-law',
    title: "Newton's Third Law of Motion",
    chapter: 'Forces and Motion',
    objectives: [
      "State Newton's third law of motion in your own words.",
      'Identify action-reaction force pairs in everyday situations.',
      'Explain why the two forces of an action-reaction pair do not cancel each other.',
    ],
    keyTerms: ["Newton's third law", 'force', 'action-reaction pair', 'interaction', 'normal force'],
    passages: [
      {
        heading: 'What the law says',
        text: `Newton's third law of motion states that whenever one object exerts a force on a second object,
          the second object exerts a force of equal size and opposite direction on the first. A common summary is
          that for every action there is an equal and opposite reaction. The word action can be misleading,
          because neither force comes first. The two forces appear at the same instant and disappear at the same
          instant. They are two sides of a single interaction between two objects. Forces always come in these
          pairs, so a single force can never exist alone.`,
      },
      {
        heading: 'Action-reaction pairs',
        text: `The two forces in an action-reaction pair always act on different objects. When you push on a
          wall, your hand pushes on the wall and the wall pushes back on your hand with the same strength. The two
          forces are also always the same type. If one is a contact force, such as friction or a push, the other
          is too. If one is a gravitational force, so is its partner. Earth pulls down on a falling apple, and the
          apple pulls up on Earth with a force of exactly the same size. To name a pair correctly, say which
          object pushes on which, then swap the two objects.`,
      },
      {
        heading: 'Examples in everyday life',
        text: `Walking is a third-law event. Your foot pushes backward on the ground, and the ground pushes
          forward on your foot, moving you ahead. A swimmer pushes water backward with her arms, and the water
          pushes her forward. A rocket forces hot exhaust gas out of its nozzle at high speed, and the gas pushes
          the rocket in the opposite direction. That is why rockets work even in the vacuum of space, where there
          is no air to push against. When you jump, you push down on the floor, and the floor pushes up on you
          with an equal force that launches you into the air.`,
      },
      {
        heading: 'Why the forces do not cancel',
        text: `Students often ask why action-reaction forces do not cancel out if they are equal and opposite.
          Forces cancel only when they act on the same object. Because the two forces in a pair act on different
          objects, each one affects only the object it acts on. When a horse pulls a cart, the cart pulls back on
          the horse just as hard. The horse still moves forward because the ground pushes forward on its hooves
          with a force larger than the backward pull of the cart. To decide whether an object speeds up, add only
          the forces that act on that object.`,
      },
      {
        heading: 'Equal forces, different effects',
        text: `Equal forces do not mean equal motion. In a collision between a small car and a heavy truck, the
          car pushes on the truck exactly as hard as the truck pushes on the car. The car, however, has much less
          mass, so the same force gives it a much larger change in velocity. Newton's second law explains the
          difference, because acceleration equals force divided by mass. The same idea explains why a rifle
          recoils gently against a shoulder while the bullet flies off at high speed. The forces match, but the
          masses do not.`,
      },
      {
        heading: 'Common misconceptions',
        text: `One misconception is that the larger or faster object exerts the larger force. In every
          interaction the two forces are exactly equal in size. Another misconception is that your weight and the
          upward push of the floor form an action-reaction pair. They do not, because both forces act on the same
          object, which is you. The partner of your weight is the upward gravitational pull you exert on Earth. The
          partner of the floor's upward push is your downward push on the floor. Checking that a pair acts on two
          different objects is the quickest test.`,
      },
      {
        heading: 'Worked example',
        text: `Suppose a 60 kilogram skater and a 40 kilogram skater stand face to face on smooth ice and push
          each other apart. For a moment, each pushes the other with a force of 120 newtons. By the third law, the
          two forces are equal and opposite. Using acceleration equals force divided by mass, the first skater
          accelerates at 120 divided by 60, or 2 meters per second squared. The second skater accelerates at 120
          divided by 40, or 3 meters per second squared. The lighter skater moves away faster, even though the
          forces are the same.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`\vec{F}_{\text{A on B}} = -\vec{F}_{\text{B on A}}`,
          say: 'F A on B equals minus F B on A',
          context: `Whenever one object exerts a force on a second object, the second object exerts a force of equal
            size and opposite direction on the first.`,
          label: "Newton's third law",
        },
      ],
      examples: [
        {
          title: 'Two skaters push apart',
          problem: `A 60 kilogram skater and a 40 kilogram skater stand face to face on smooth ice and push each
            other apart with a force of 120 newtons. What is the acceleration of each skater?`,
          steps: [
            { text: `By the third law, each skater pushes on the other with a force of 120 newtons, in opposite
              directions.` },
            {
              text: 'Divide the force on the first skater by her mass.',
              tex: String.raw`a_1 = \frac{F}{m_1} = \frac{120\ \text{N}}{60\ \text{kg}} = 2\ \text{m/s}^2`,
              say: 'a 1 equals F over m 1, which is 120 newtons over 60 kilograms, or 2 meters per second squared',
            },
            {
              text: 'Divide the same force by the mass of the second skater.',
              tex: String.raw`a_2 = \frac{F}{m_2} = \frac{120\ \text{N}}{40\ \text{kg}} = 3\ \text{m/s}^2`,
              say: 'a 2 equals F over m 2, which is 120 newtons over 40 kilograms, or 3 meters per second squared',
            },
            { text: 'The lighter skater moves away faster, even though the two forces are the same size.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'A hammer hits a nail with a force of 500 newtons. How hard does the nail push back on the hammer?',
          answer: `With 500 newtons, in the opposite direction, because the two forces of an action-reaction pair
            are always equal in size and opposite in direction.`,
        },
      ],
      glossary: [
        { term: "Newton's third law", definition: `Whenever one object exerts a force on a second object, the second
          object exerts a force of equal size and opposite direction on the first.` },
        { term: 'force', definition: 'A push or a pull on an object, which comes from an interaction with another object.' },
        { term: 'action-reaction pair', definition: `The two equal and opposite forces of one interaction, which act on
          two different objects.` },
        { term: 'interaction', definition: 'Two objects acting on each other at the same time, which produces a pair of forces.' },
        { term: 'normal force', definition: `The push of a surface on an object that rests against it, at right angles
          to the surface, such as the upward push of a floor.` },
      ],
    },
  },
  {
    slug: 'newtons-second-law',
    title: "Newton's Second Law of Motion",
    chapter: 'Forces and Motion',
    objectives: [
      'Describe the relationship between net force, mass and acceleration.',
      'Calculate the acceleration of an object from the net force and its mass.',
      'Distinguish between mass and weight.',
    ],
    keyTerms: ["Newton's second law", 'net force', 'acceleration', 'mass', 'newton', 'weight'],
    passages: [
      {
        heading: 'What the law says',
        text: `Newton's second law of motion describes how an object's motion changes when forces act on it. It
          states that the acceleration of an object equals the net force on it divided by its mass. Written as an
          equation, force equals mass times acceleration, or F equals m a. The acceleration always points in the
          same direction as the net force. A larger net force produces a larger acceleration, while a larger mass
          produces a smaller acceleration for the same force. This single relationship lets physicists predict
          motion from the forces involved.`,
      },
      {
        heading: 'Net force',
        text: `The word net is important. Most objects have several forces acting on them at once, such as
          gravity, friction, and pushes or pulls. The net force is the sum of all of them, taking their directions
          into account. If you push a box to the right with 50 newtons while friction pushes it to the left with
          30 newtons, the net force is 20 newtons to the right. When the forces balance, the net force is zero and
          so is the acceleration. In that case the object either stays at rest or keeps moving at a constant
          velocity.`,
      },
      {
        heading: 'Units of force',
        text: `Force is measured in newtons, named after Isaac Newton. One newton is the force needed to give a
          mass of 1 kilogram an acceleration of 1 meter per second squared. Acceleration describes how quickly
          velocity changes, so its unit is meters per second, per second. A medium apple weighs roughly one newton.
          Keeping units consistent matters. Mass must be in kilograms and acceleration in meters per second squared
          for the force to come out in newtons.`,
      },
      {
        heading: 'Mass and weight',
        text: `Mass and weight are related but different. Mass measures how much matter an object contains and
          how strongly it resists changes in its motion. Weight is the force of gravity acting on that mass. Near
          Earth's surface, weight equals mass times about 9.8 meters per second squared. A 50 kilogram student
          therefore weighs about 490 newtons. On the Moon, gravity is about one sixth as strong, so the same student
          would weigh only about 82 newtons. Their mass, however, would still be 50 kilograms.`,
      },
      {
        heading: 'Examples in everyday life',
        text: `An empty shopping cart is easy to get moving, but a full one needs a much harder push to reach the
          same speed in the same time, because it has more mass. A sprinter pushes hard against the starting blocks
          to produce a large forward acceleration. In a car, a stronger engine force gives a faster rise in speed,
          while a heavy load reduces the acceleration. Seat belts work by applying a force to a passenger so that
          the passenger slows down along with the car instead of continuing forward.`,
      },
      {
        heading: 'Worked example',
        text: `A soccer ball has a mass of 0.45 kilograms. A player kicks it with an average net force of 90
          newtons. What is the ball's acceleration during the kick? Divide the force by the mass. Ninety newtons
          divided by 0.45 kilograms gives 200 meters per second squared. That is a huge acceleration, but it lasts
          only a fraction of a second while the foot touches the ball. If the same force acted on a 4.5 kilogram
          bowling ball, the acceleration would be ten times smaller, only 20 meters per second squared.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common mistake is to think that motion always requires a force. In fact, an object moving at a
          constant velocity needs no net force at all. A net force is needed only to change the speed or the
          direction of motion. Another mistake is to think that heavier objects always fall faster. Without air
          resistance, all objects fall with the same acceleration. A heavier object does feel a larger
          gravitational force, but it also has more mass to accelerate, and the two effects cancel exactly.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`F = ma`,
          say: 'F equals m a',
          context: 'Written as an equation, force equals mass times acceleration, or F equals m a.',
          label: "Newton's second law",
        },
        {
          tex: String.raw`a = \frac{F_{\text{net}}}{m}`,
          say: 'a equals F net over m',
          context: 'The acceleration of an object equals the net force on it divided by its mass.',
          label: "Newton's second law",
        },
        {
          tex: String.raw`W = mg`,
          say: 'W equals m g',
          context: "Near Earth's surface, weight equals mass times about 9.8 meters per second squared.",
        },
      ],
      examples: [
        {
          title: 'Kicking a soccer ball',
          problem: `A soccer ball has a mass of 0.45 kilograms. A player kicks it with an average net force of 90
            newtons. What is the ball's acceleration during the kick?`,
          steps: [
            { text: "Newton's second law gives the acceleration as the net force divided by the mass." },
            {
              text: 'Substitute the force and the mass.',
              tex: String.raw`a = \frac{F_{\text{net}}}{m} = \frac{90\ \text{N}}{0.45\ \text{kg}} = 200\ \text{m/s}^2`,
              say: 'a equals F net over m, which is 90 newtons over 0.45 kilograms, or 200 meters per second squared',
            },
            { text: `The same force on a 4.5 kilogram bowling ball would give an acceleration ten times smaller, 20
              meters per second squared.` },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'About how much does a 50 kilogram student weigh on Earth?',
          answer: `About 490 newtons, because weight equals mass times 9.8 meters per second squared, and 50 times 9.8
            is 490.`,
        },
      ],
      glossary: [
        { term: "Newton's second law", definition: 'The acceleration of an object equals the net force on it divided by its mass.' },
        { term: 'net force', definition: 'The sum of all the forces acting on an object, taking their directions into account.' },
        { term: 'acceleration', definition: 'How quickly velocity changes, measured in meters per second squared.' },
        { term: 'mass', definition: `How much matter an object contains and how strongly it resists changes in its
          motion, measured in kilograms.` },
        { term: 'newton', definition: `The unit of force: the force needed to give a mass of 1 kilogram an acceleration
          of 1 meter per second squared.` },
        { term: 'weight', definition: 'The force of gravity acting on the mass of an object.' },
      ],
    },
  },
  {
    slug: 'conservation-of-energy',
    title: 'Conservation of Energy',
    chapter: 'Energy',
    objectives: [
      'Define kinetic energy and potential energy.',
      'State the law of conservation of energy.',
      'Track energy transformations in a simple system.',
    ],
    keyTerms: ['conservation of energy', 'kinetic energy', 'potential energy', 'thermal energy', 'joule'],
    passages: [
      {
        heading: 'What the law says',
        text: `The law of conservation of energy states that energy cannot be created or destroyed. It can only
          change from one form to another or move from one object to another. In a closed system, the total amount
          of energy stays the same. This is one of the most thoroughly tested laws in all of science, and no
          experiment has ever found an exception. Energy is measured in joules. Keeping track of the joules is a
          powerful way to predict what a system can and cannot do.`,
      },
      {
        heading: 'Kinetic and potential energy',
        text: `Kinetic energy is the energy of motion. It equals one half times mass times speed squared, so
          doubling an object's speed multiplies its kinetic energy by four. Potential energy is stored energy that
          depends on position or arrangement. Near Earth's surface, gravitational potential energy equals mass
          times the gravitational acceleration times height. A book on a high shelf has more gravitational
          potential energy than the same book on the floor. A stretched spring and a charged battery also store
          potential energy.`,
      },
      {
        heading: 'Energy transformations',
        text: `Most events involve energy changing from one form to another. When a roller coaster is pulled up
          the first hill, the work done by the motor becomes gravitational potential energy. As the car rolls down,
          potential energy turns into kinetic energy, and the car speeds up. On the next rise, kinetic energy turns
          back into potential energy, and the car slows down. A light bulb turns electrical energy into light and
          thermal energy. Your body turns the chemical energy stored in food into motion and heat.`,
      },
      {
        heading: 'Where the energy goes',
        text: `If energy is conserved, why does a bouncing ball eventually stop? The energy does not vanish. With
          every bounce, some of the ball's energy of motion turns into thermal energy and sound because of friction
          and air resistance. The ball, the floor and the air all become very slightly warmer. That spread-out
          energy is hard to use again, so engineers often describe it as lost or wasted, but it still exists.
          Efficiency is the fraction of the input energy that ends up in the form we want.`,
      },
      {
        heading: 'Worked example',
        text: `A 2 kilogram ball is dropped from a height of 5 meters. Ignore air resistance, and take the
          gravitational acceleration as 10 meters per second squared to keep the numbers simple. At the top, its
          potential energy is 2 times 10 times 5, which is 100 joules, and its kinetic energy is zero. Just before
          it reaches the ground, all 100 joules have become kinetic energy. Setting one half times 2 times the
          speed squared equal to 100 gives a speed squared of 100. So the ball is moving at 10 meters per second.`,
      },
      {
        heading: 'Common misconceptions',
        text: `Some people think that energy gets used up. What actually gets used up is useful energy, such as
          the chemical energy in fuel, which ends up as thermal energy spread through the surroundings. Another
          misconception is that a heavier object always has more energy. A light object moving very fast can have
          more kinetic energy than a heavy object moving slowly. Finally, energy is not a substance or a force. It
          is a quantity whose total stays constant while it changes form.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`KE = \frac{1}{2}mv^2`,
          say: 'K E equals one half m v squared',
          context: 'Kinetic energy equals one half times mass times speed squared.',
          label: 'kinetic energy',
        },
        {
          tex: String.raw`PE = mgh`,
          say: 'P E equals m g h',
          context: `Near Earth's surface, gravitational potential energy equals mass times the gravitational
            acceleration times height.`,
          label: 'gravitational potential energy',
        },
        {
          tex: String.raw`KE_{\text{i}} + PE_{\text{i}} = KE_{\text{f}} + PE_{\text{f}}`,
          say: 'K E initial plus P E initial equals K E final plus P E final',
          context: 'In a closed system, the total amount of energy stays the same.',
          label: 'conservation of energy',
        },
      ],
      examples: [
        {
          title: 'A dropped ball',
          problem: `A 2 kilogram ball is dropped from a height of 5 meters. Ignoring air resistance and taking the
            gravitational acceleration as 10 meters per second squared, how fast is it moving just before it reaches
            the ground?`,
          steps: [
            {
              text: 'At the top, all of its energy is gravitational potential energy.',
              tex: String.raw`PE = mgh = (2\ \text{kg})(10\ \text{m/s}^2)(5\ \text{m}) = 100\ \text{J}`,
              say: 'P E equals m g h, which is 2 kilograms times 10 meters per second squared times 5 meters, or 100 joules',
            },
            { text: 'Just before it reaches the ground, all 100 joules have become kinetic energy.' },
            {
              text: 'Set the kinetic energy equal to 100 joules.',
              tex: String.raw`\frac{1}{2}(2\ \text{kg})\,v^2 = 100\ \text{J} \quad\Rightarrow\quad v^2 = 100\ \text{m}^2/\text{s}^2`,
              say: 'one half times 2 kilograms times v squared equals 100 joules, so v squared equals 100',
            },
            {
              text: 'Take the square root.',
              tex: String.raw`v = 10\ \text{m/s}`,
              say: 'v equals 10 meters per second',
            },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'A 1 kilogram ball moves at 4 meters per second. What is its kinetic energy?',
          answer: '8 joules, because one half times 1 times 4 squared is one half of 16, which is 8.',
        },
      ],
      glossary: [
        { term: 'conservation of energy', definition: `Energy cannot be created or destroyed; it can only change form or
          move from one object to another, so the total in a closed system stays the same.` },
        { term: 'kinetic energy', definition: 'The energy of motion, equal to one half times mass times speed squared.' },
        { term: 'potential energy', definition: 'Stored energy that depends on position or arrangement, such as the height of a book on a shelf.' },
        { term: 'thermal energy', definition: 'The energy of the random motion of particles, which we notice as warmth.' },
        { term: 'joule', definition: 'The unit of energy.' },
      ],
    },
  },
  {
    slug: 'waves-and-sound',
    title: 'Waves and Sound',
    chapter: 'Waves',
    objectives: [
      'Describe the wavelength, frequency and amplitude of a wave.',
      'Distinguish transverse waves from longitudinal waves.',
      'Use the relationship between wave speed, frequency and wavelength.',
    ],
    keyTerms: ['wave', 'wavelength', 'frequency', 'amplitude', 'transverse wave', 'longitudinal wave'],
    passages: [
      {
        heading: 'What a wave is',
        text: `A wave is a disturbance that carries energy from one place to another without carrying matter
          along with it. When a wave passes across a pond, a floating leaf bobs up and down but stays in roughly
          the same spot. The energy moves across the pond, while the water itself mostly moves in small circles.
          Mechanical waves, such as sound and water waves, need a medium to travel through. Electromagnetic waves,
          such as light and radio waves, can travel through empty space.`,
      },
      {
        heading: 'Parts of a wave',
        text: `Waves are described by a few key measurements. The wavelength is the distance from one crest to
          the next, or from any point to the matching point on the next cycle. The frequency is the number of
          waves that pass a point each second, measured in hertz. The amplitude is the size of the disturbance,
          measured from the rest position to a crest. A larger amplitude means the wave carries more energy. For
          sound, amplitude relates to loudness and frequency relates to pitch.`,
      },
      {
        heading: 'Transverse and longitudinal waves',
        text: `In a transverse wave, the particles of the medium move at right angles to the direction the wave
          travels. A wave on a guitar string, or on a rope shaken up and down, is transverse. In a longitudinal
          wave, the particles move back and forth along the same direction the wave travels. Sound is a
          longitudinal wave. It is made of compressions, where air molecules are squeezed together, and
          rarefactions, where they are spread apart. Light is a transverse wave, but it needs no medium at all.`,
      },
      {
        heading: 'The wave equation',
        text: `Wave speed, frequency and wavelength are connected by a simple equation. Wave speed equals
          frequency times wavelength. In symbols, v equals f times lambda, where lambda is the Greek letter used
          for wavelength. For a given speed, a higher frequency means a shorter wavelength. The speed itself
          depends mainly on the medium. Sound travels at about 343 meters per second in air at room temperature,
          about four times faster in water, and faster still in steel.`,
      },
      {
        heading: 'Worked example',
        text: `A tuning fork vibrates at 440 hertz, the note A above middle C. The sound travels through the air
          at 343 meters per second. What is its wavelength? Rearrange the wave equation so that wavelength equals
          speed divided by frequency. Dividing 343 by 440 gives about 0.78 meters. Each compression of the air is
          therefore about 78 centimeters from the next one. If the frequency doubled to 880 hertz, one octave
          higher, the wavelength would be cut in half.`,
      },
      {
        heading: 'Waves in everyday life',
        text: `Waves are everywhere. Human ears detect sound waves with frequencies from about 20 to 20,000
          hertz. Phones and wireless routers communicate with radio waves, and microwave ovens use waves that make
          water molecules in food move faster, heating it up. Doctors use ultrasound, with frequencies far above
          human hearing, to make images of the inside of the body. Earthquakes send waves through the ground, and
          scientists use the timing of those waves to learn about Earth's interior.`,
      },
      {
        heading: 'Common misconceptions',
        text: `A common misconception is that the medium travels along with the wave. In a stadium wave, the
          people stand up and sit down in place, while the wave itself moves around the stadium. Another
          misconception is that louder sounds travel faster. In a given medium, all sounds travel at essentially
          the same speed, whatever their loudness or pitch. That is why the music of a whole band reaches you
          together rather than one instrument at a time.`,
      },
    ],
    materials: {
      equations: [
        {
          tex: String.raw`v = f\lambda`,
          say: 'v equals f lambda',
          context: 'Wave speed equals frequency times wavelength.',
          label: 'wave equation',
        },
        {
          tex: String.raw`\lambda = \frac{v}{f}`,
          say: 'lambda equals v over f',
          context: 'Rearrange the wave equation so that wavelength equals speed divided by frequency.',
        },
      ],
      examples: [
        {
          title: 'The wavelength of a tuning fork',
          problem: `A tuning fork vibrates at 440 hertz, and the sound travels through the air at 343 meters per
            second. What is its wavelength?`,
          steps: [
            { text: 'Rearrange the wave equation so that wavelength equals speed divided by frequency.' },
            {
              text: 'Substitute the speed and the frequency.',
              tex: String.raw`\lambda = \frac{v}{f} = \frac{343\ \text{m/s}}{440\ \text{Hz}} \approx 0.78\ \text{m}`,
              say: 'lambda equals v over f, which is 343 meters per second over 440 hertz, or about 0.78 meters',
            },
            { text: 'Each compression of the air is therefore about 78 centimeters from the next one.' },
          ],
        },
      ],
      reviewQuestions: [
        {
          question: 'A wave has a frequency of 10 hertz and a wavelength of 2 meters. How fast does it travel?',
          answer: '20 meters per second, because wave speed equals frequency times wavelength, and 10 times 2 is 20.',
        },
      ],
      glossary: [
        { term: 'wave', definition: 'A disturbance that carries energy from one place to another without carrying matter along with it.' },
        { term: 'wavelength', definition: 'The distance from one crest of a wave to the next.' },
        { term: 'frequency', definition: 'The number of waves that pass a point each second, measured in hertz.' },
        { term: 'amplitude', definition: 'The size of the disturbance of a wave, measured from the rest position to a crest.' },
        { term: 'transverse wave', definition: 'A wave in which the particles of the medium move at right angles to the direction the wave travels.' },
        { term: 'longitudinal wave', definition: 'A wave in which the particles of the medium move back and forth along the direction the wave travels.' },
      ],
    },
  },
]);
