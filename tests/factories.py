import factory

from accord.briefs.models import BriefVersion, Criterion, Kind
from accord.candidates.models import Candidate
from accord.people.models import User
from accord.pipeline.models import Application, Category, Stage
from accord.requisitions.models import Level, Requisition
from accord.workspaces.models import Member, Role, Workspace

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Faker("name")
    time_zone = "Europe/London"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, password=PASSWORD, **kwargs)


class WorkspaceFactory(factory.django.DjangoModelFactory[Workspace]):
    class Meta:
        model = Workspace

    name = factory.Sequence(lambda n: f"Workspace {n}")
    slug = factory.Sequence(lambda n: f"workspace-{n}")


class MemberFactory(factory.django.DjangoModelFactory[Member]):
    class Meta:
        model = Member

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.RECRUITER


class RequisitionFactory(factory.django.DjangoModelFactory[Requisition]):
    """A requisition; pass `recruiter=` (a Member) and add managers with `hiring_managers=[…]`."""

    class Meta:
        model = Requisition
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    title = "Senior Backend Engineer"
    team = "Platform"
    location = "London"
    level = Level.SENIOR
    recruiter = factory.SubFactory(
        MemberFactory, workspace=factory.SelfAttribute("..workspace"), role=Role.RECRUITER
    )

    @factory.post_generation
    def hiring_managers(self, create: bool, extracted: list[Member] | None, **kwargs: object):
        if create and extracted:
            self.hiring_managers.set(extracted)


class BriefVersionFactory(factory.django.DjangoModelFactory[BriefVersion]):
    class Meta:
        model = BriefVersion

    requisition = factory.SubFactory(RequisitionFactory)
    number = 1


class CriterionFactory(factory.django.DjangoModelFactory[Criterion]):
    class Meta:
        model = Criterion

    version = factory.SubFactory(BriefVersionFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    kind = Kind.MUST
    definition = "Has done it before and can show the result."


class CandidateFactory(factory.django.DjangoModelFactory[Candidate]):
    """A candidate; services normally fill the duplicate keys and search text, factories don't."""

    class Meta:
        model = Candidate

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.net")
    headline = "Backend Engineer"


class StageFactory(factory.django.DjangoModelFactory[Stage]):
    class Meta:
        model = Stage

    requisition = factory.SubFactory(RequisitionFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")
    category = Category.SCREEN
    position = factory.Sequence(int)


class ApplicationFactory(factory.django.DjangoModelFactory[Application]):
    """An application; pass `requisition=` and `stage=` of that requisition, or get new ones."""

    class Meta:
        model = Application

    requisition = factory.SubFactory(RequisitionFactory)
    workspace = factory.SelfAttribute("requisition.workspace")
    candidate = factory.SubFactory(CandidateFactory, workspace=factory.SelfAttribute("..workspace"))
    stage = factory.SubFactory(StageFactory, requisition=factory.SelfAttribute("..requisition"))
