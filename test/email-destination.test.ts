import { AuthorizationErrorException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { emailDestination, publishEmail } from '../lambda/adapters/email-destination.js';
import { RelayError } from '../lambda/core/errors.js';
import { createDestinations } from '../lambda/destinations.js';
import type { AmendContext, RenderedAmendment } from '../lambda/ports.js';
import { renderedAlert } from './support/rendered-alert.js';

const TOPIC = 'arn:aws:sns:us-east-1:123456789012:ec2-driver-relay-email';
const sns = mockClient(SNSClient);

beforeEach(() => {
  sns.reset();
});

function published() {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

describe('publishing an alert email', () => {
  it('publishes the subject and body to the topic', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });

    await publishEmail(new SNSClient({}), TOPIC, { subject: 'ENA 2.9.0 released', body: 'ENA 2.9.0 was released.\n' });

    expect(published()).toEqual([
      { TopicArn: TOPIC, Subject: 'ENA 2.9.0 released', Message: 'ENA 2.9.0 was released.\n' },
    ]);
  });

  it('keeps a subject SNS would refuse to one line under 100 characters', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-1' });
    const subject = `AWS PV 8.5.0 released\n${'with a very long tail '.repeat(8)}`;

    await publishEmail(new SNSClient({}), TOPIC, { subject, body: 'body' });

    const [sent] = published();
    expect(sent?.Subject).toMatch(/^AWS PV 8\.5\.0 released with a very long tail/);
    expect(sent?.Subject).not.toMatch(/[\r\n]/);
    expect(sent?.Subject?.length).toBeLessThan(100);
    expect(sent?.Subject?.endsWith('...')).toBe(true);
  });

  it('fails with email-failed naming the topic, the AWS error and what to do', async () => {
    sns.on(PublishCommand).rejects(new AuthorizationErrorException({ message: 'not authorized', $metadata: {} }));

    const failure = await publishEmail(new SNSClient({}), TOPIC, { subject: 's', body: 'b' }).catch(
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(RelayError);
    expect(failure).toMatchObject({
      code: 'email-failed',
      message: `Could not publish the alert email to ${TOPIC}: AuthorizationErrorException. Grant the function's role sns:Publish on the topic.`,
    });
  });

  it('is a destination named after its topic that reports the SNS message id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-7' });
    const destination = emailDestination(new SNSClient({}), TOPIC);

    const receipt = await destination.send(renderedAlert(), {
      deadline: Date.now() + 60_000,
      deliveryKey: 'notification-1#0#email:arn:aws:sns:us-east-1:123456789012:alerts',
    });

    expect(destination.id).toBe(`email:${TOPIC}`);
    expect(receipt).toEqual({ ref: 'sns-message-7' });
    expect(published()[0]?.Subject).toBe(renderedAlert().email.subject);
  });
});

describe('emailing the follow-up of an amended alert', () => {
  const { slack } = renderedAlert();
  const amendment: RenderedAmendment = {
    change: 'rolled-back',
    slack: { main: slack.main, reply: slack.main, broadcast: true, replacement: slack },
    email: {
      subject: 'ROLLED BACK: do not install ENA 2.0.0',
      body: 'AWS rolled back ENA 2.0.0. Stay on or return to ENA 1.9.0.\n',
    },
  };
  const context: AmendContext = {
    ref: 'sns-message-1',
    deadline: Date.now() + 60_000,
    deliveryKey: 'amend#ena#2.0.0#rolled-back#email:arn:aws:sns:us-east-1:123456789012:ec2-driver-relay-email',
  };

  it('publishes the follow-up email to the topic and reports its SNS message id', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-8' });

    const receipt = await emailDestination(new SNSClient({}), TOPIC).amend(amendment, context);

    expect(published()).toEqual([{ TopicArn: TOPIC, Subject: amendment.email.subject, Message: amendment.email.body }]);
    expect(receipt).toEqual({ ref: 'sns-message-8' });
  });

  it('fails like a send, with email-failed naming the topic and what to do', async () => {
    sns.on(PublishCommand).rejects(new AuthorizationErrorException({ message: 'not authorized', $metadata: {} }));

    const failure = await emailDestination(new SNSClient({}), TOPIC)
      .amend(amendment, context)
      .catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'email-failed', message: expect.stringContaining(TOPIC) });
    expect(failure).toBeInstanceOf(RelayError);
  });

  it('is what the configured email destination does with an amendment', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'sns-message-9' });
    const [email] = createDestinations({
      slackChannels: [],
      slackTokenSecretId: null,
      slackApiUrl: null,
      emailTopicArn: TOPIC,
    });

    const receipt = await email?.amend(amendment, context);

    expect(email?.id).toBe(`email:${TOPIC}`);
    expect(receipt).toEqual({ ref: 'sns-message-9' });
    expect(published()[0]?.Subject).toBe(amendment.email.subject);
  });
});
